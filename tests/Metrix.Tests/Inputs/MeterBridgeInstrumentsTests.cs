using System.Diagnostics;
using System.Diagnostics.Metrics;
using Metrix.Tests.Support;

namespace Metrix.Tests.Inputs;

/// <summary>
/// ListenTo by kind of instrument (levels of up-down counters, observable instruments observed once
/// per window), and MeterListenOptions (stream names, dropped tags), with real instruments.
/// </summary>
public sealed class MeterBridgeInstrumentsTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly HistoricalSchedulerFixture _time = new();

    private static string UniqueMeterName() => "metrix.tests." + Guid.NewGuid().ToString("N");

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void An_up_down_counter_sends_its_running_level_per_tag_set()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("active") { Agg = { MAgg.Last, MAgg.Max, MAgg.Min }, WindowSize = Second });
        using var meter = new Meter(UniqueMeterName());
        var active = meter.CreateUpDownCounter<int>("active");
        using var listening = mc.ListenTo(meter.Name);

        active.Add(1, Tag("route", "/a"));
        active.Add(1, Tag("route", "/a"));
        active.Add(1, Tag("route", "/b"));
        active.Add(-1, Tag("route", "/a"));
        _time.AdvanceToSeconds(1);
        active.Add(-1, Tag("route", "/a"));
        _time.AdvanceToSeconds(2);

        sink.Elements.Should().Equal(
            new MElement("active.last", 1, Tags.Of(("route", "/a"))),
            new MElement("active.last", 1, Tags.Of(("route", "/b"))),
            new MElement("active.max", 2, Tags.Of(("route", "/a"))),
            new MElement("active.max", 1, Tags.Of(("route", "/b"))),
            new MElement("active.min", 1, Tags.Of(("route", "/a"))),
            new MElement("active.min", 1, Tags.Of(("route", "/b"))),
            new MElement("active.last", 0, Tags.Of(("route", "/a"))),
            new MElement("active.max", 0, Tags.Of(("route", "/a"))),
            new MElement("active.min", 0, Tags.Of(("route", "/a"))));
    }

    [Fact]
    public void An_observable_gauge_is_observed_once_per_window_of_its_stream()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("queue.length") { Agg = { MAgg.Last, MAgg.Count }, WindowSize = Second });
        using var meter = new Meter(UniqueMeterName());
        var length = 7;
        var observed = 0;
        meter.CreateObservableGauge("queue.length", () =>
        {
            observed++;
            return new Measurement<int>(length, Tag("queue", "orders"));
        });
        using var listening = mc.ListenTo(meter.Name);

        for (var window = 1; window <= 3; window++)
        {
            _time.AdvanceToSeconds(window);
            length += 10;
        }

        observed.Should().Be(3);
        sink.Elements.Where(e => e.Name == "queue.length.last").Select(e => e.Value).Should().Equal(7, 17, 27);
        sink.Elements.Where(e => e.Name == "queue.length.count").Select(e => e.Value).Should().Equal(1, 1, 1);
        sink.Elements.Where(e => e.Name == "queue.length.last").Select(e => e.Timestamp!.Value.SecondsSinceStart()).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void An_observable_counter_sends_the_increase_since_its_previous_observation()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("bytes") { Agg = { MAgg.Sum }, WindowSize = Second });
        using var meter = new Meter(UniqueMeterName());
        long[] totals = [1000, 1015, 1035, 1035];
        var observation = 0;
        meter.CreateObservableCounter("bytes", () => new Measurement<long>(totals[observation++], Tag("disk", "sda")));
        using var listening = mc.ListenTo(meter.Name);

        _time.AdvanceToSeconds(4);

        // The first observation sets the baseline; then each window's sum is its increase.
        sink.Elements.Select(e => e.Value).Should().Equal(15, 20, 0);
        sink.Elements.Should().OnlyContain(e => e.Tags!["disk"] == "sda");
    }

    [Fact]
    public void An_observable_up_down_counter_sends_its_observed_level_and_observations_follow_each_stream_s_window()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink,
            new MStream("threads") { Agg = { MAgg.Last }, WindowSize = Second },
            new MStream("slow.threads") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(2) });
        using var meter = new Meter(UniqueMeterName());
        meter.CreateObservableUpDownCounter("threads", () => 4);
        meter.CreateObservableUpDownCounter("slow.threads", () => 4);
        using var listening = mc.ListenTo(meter.Name);

        _time.AdvanceToSeconds(4);

        sink.Elements.Where(e => e.Name == "threads.last").Select(e => e.Value).Should().Equal(4, 4, 4, 4);
        sink.Elements.Where(e => e.Name == "slow.threads.count").Select(e => e.Value).Should().Equal(1, 1);
    }

    [Fact]
    public void An_observable_instrument_without_a_windowed_stream_is_logged_and_not_observed()
    {
        var logger = new CollectingLogger();
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("batched") { Agg = { MAgg.Sum }, BatchSize = 10 });
        mc.Logger = logger;
        using var meter = new Meter(UniqueMeterName());
        var observed = 0;
        meter.CreateObservableGauge("batched", () => ++observed);
        meter.CreateObservableGauge("missing", () => ++observed);
        using var listening = mc.ListenTo(meter.Name);

        _time.AdvanceToSeconds(5);

        observed.Should().Be(0);
        logger.Entries.Where(e => e.EventId.Name == "ObservableNotObserved").Select(e => e.Message).Should().SatisfyRespectively(
            batched => batched.Should().Contain("stream batched, which counts batches, not windows"),
            missing => missing.Should().Contain("stream missing, which does not exist"));
    }

    [Fact]
    public void The_runtime_s_observable_instruments_are_collected()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink,
            new MStream("dotnet.process.memory.working_set") { Agg = { MAgg.Last }, WindowSize = Second },
            new MStream("dotnet.gc.heap.total_allocated") { Agg = { MAgg.Sum }, WindowSize = Second });
        using var listening = mc.ListenTo("System.Runtime");

        for (var window = 1; window <= 3; window++)
        {
            GC.KeepAlive(new byte[100_000]);
            _time.AdvanceToSeconds(window);
        }

        sink.Elements.Where(e => e.Name == "dotnet.process.memory.working_set.last").Should().HaveCount(3)
            .And.OnlyContain(e => e.Value > 1_000_000, "a process's working set is megabytes");
        sink.Elements.Where(e => e.Name == "dotnet.gc.heap.total_allocated.sum").Should().HaveCount(2, "the first observation is the baseline")
            .And.OnlyContain(e => e.Value >= 100_000, "each window allocated at least its 100 kB array");
    }

    [Fact]
    public void Instruments_map_to_streams_by_a_function_or_qualified_by_their_meter()
    {
        var sink = new CollectingSink();
        using var first = new Meter(UniqueMeterName());
        using var second = new Meter(UniqueMeterName());
        using var mc = _time.Coordinator(sink,
            new MStream($"{first.Name}.requests") { Agg = { MAgg.Sum }, WindowSize = Second },
            new MStream($"{second.Name}.requests") { Agg = { MAgg.Sum }, WindowSize = Second },
            new MStream("renamed") { Agg = { MAgg.Sum }, WindowSize = Second });
        using var qualified = mc.ListenTo(i => i.Meter == first || i.Meter == second, new MeterListenOptions { QualifyWithMeter = true });
        using var third = new Meter(UniqueMeterName());
        using var renamed = mc.ListenTo(third.Name, new MeterListenOptions { StreamName = i => i.Name == "hits" ? "renamed" : null });

        first.CreateCounter<int>("requests").Add(1);
        second.CreateCounter<int>("requests").Add(10);
        third.CreateCounter<int>("hits").Add(100);
        third.CreateCounter<int>("ignored").Add(1000);
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().BeEquivalentTo(
        [
            new MElement($"{first.Name}.requests.sum", 1),
            new MElement($"{second.Name}.requests.sum", 10),
            new MElement("renamed.sum", 100),
        ]);
        mc.Statistics.UnroutedMeasurements.Should().Be(0, "an instrument mapped to no stream is not followed");
    }

    [Fact]
    public void Tags_are_dropped_by_key_or_by_predicate()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("requests") { Agg = { MAgg.Sum }, WindowSize = Second });
        using var meter = new Meter(UniqueMeterName());
        var requests = meter.CreateCounter<int>("requests");
        using var listening = mc.ListenTo(meter.Name, new MeterListenOptions
        {
            DropTags = { "server.address" },
            DropTag = key => key.StartsWith("url.", StringComparison.Ordinal),
        });

        requests.Add(1, Tag("route", "/a"), Tag("server.address", "10.0.0.1"), Tag("url.scheme", "https"));
        requests.Add(2, Tag("route", "/a"), Tag("server.address", "10.0.0.2"), Tag("url.scheme", "http"));
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(new MElement("requests.sum", 3, Tags.Of(("route", "/a"))));
    }

    [Fact]
    public void Instruments_that_share_a_stream_unmapped_or_unrouted_ones_are_logged_with_what_to_do()
    {
        var logger = new CollectingLogger();
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("requests") { Agg = { MAgg.Sum }, WindowSize = Second });
        mc.Logger = logger;
        using var first = new Meter(UniqueMeterName());
        using var second = new Meter(UniqueMeterName());
        first.CreateCounter<int>("requests");
        second.CreateCounter<int>("requests");
        var unrouted = first.CreateCounter<int>("orders");
        using var same = mc.ListenTo(i => i.Meter == first || i.Meter == second);
        using var mapped = mc.ListenTo(i => i.Meter == first, new MeterListenOptions { StreamName = _ => throw new InvalidOperationException("no mapping") });

        unrouted.Add(1);
        unrouted.Add(1);

        logger.Entries.Should().ContainSingle(e => e.EventId.Name == "InstrumentsShareStream")
            .Which.Message.Should().Contain(first.Name).And.Contain(second.Name).And.Contain("QualifyWithMeter");
        logger.Entries.Where(e => e.EventId.Name == "InstrumentNotFollowed").Should().HaveCount(2)
            .And.OnlyContain(e => e.Message.Contains("no mapping", StringComparison.Ordinal));
        logger.Entries.Should().ContainSingle(e => e.EventId.Name == "UnroutedMeasurement")
            .Which.Message.Should().Contain("no MStream named orders");
        mc.Statistics.UnroutedMeasurements.Should().Be(2);
    }

    [Fact]
    public async Task On_the_real_time_scheduler_an_observable_gauge_is_observed_at_most_once_per_window()
    {
        var sink = new CollectingSink();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("gauge") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromMilliseconds(20) } },
            MSinks = { sink },
        };
        using var meter = new Meter(UniqueMeterName());
        var observations = 0;
        meter.CreateObservableGauge("gauge", () => Interlocked.Increment(ref observations));
        using (mc.ListenTo(meter.Name))
        {
            // Until 30 windows were emitted (bounded: 20 s on a machine busy with other tests).
            var clock = Stopwatch.StartNew();
            while (sink.Elements.Count < 30 && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(10);
            }
        }

        await mc.DisposeAsync();

        sink.Elements.Should().OnlyContain(e => e.Value == 1, "one observation per window, never two");
        sink.Elements.Select(e => e.Timestamp).Should().OnlyHaveUniqueItems();
        sink.Elements.Sum(e => e.Value).Should().Be(Volatile.Read(ref observations), "every observation was counted");
        sink.Elements.Count.Should().BeGreaterThanOrEqualTo(30);
    }
}
