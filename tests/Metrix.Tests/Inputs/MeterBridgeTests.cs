using System.Diagnostics.Metrics;
using Metrix.Tests.Support;

namespace Metrix.Tests.Inputs;

/// <summary>ListenTo: measurements of real System.Diagnostics.Metrics instruments become sends.</summary>
public sealed class MeterBridgeTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    // Each test its own meter name: MeterListener sees every meter in the process.
    private static string UniqueMeterName() => "metrix.tests." + Guid.NewGuid().ToString("N");

    [Fact]
    public void Measurements_of_a_followed_meter_are_aggregated_by_instrument_name_and_tags()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink,
            new MStream("requests") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) },
            new MStream("latency") { Agg = { MAgg.Max, MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });
        using var meter = new Meter(UniqueMeterName());
        var requests = meter.CreateCounter<int>("requests");
        var latency = meter.CreateHistogram<double>("latency");
        using var listening = mc.ListenTo(meter.Name);

        requests.Add(2, new KeyValuePair<string, object?>("route", "/a"), new KeyValuePair<string, object?>("status", 200));
        requests.Add(3, new KeyValuePair<string, object?>("status", 200), new KeyValuePair<string, object?>("route", "/a"));
        requests.Add(1);
        latency.Record(12.5);
        latency.Record(40.25);
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("requests.sum", 5, Tags.Of(("route", "/a"), ("status", "200"))),
            new MElement("requests.sum", 1),
            new MElement("latency.max", 40.25),
            new MElement("latency.count", 2));
    }

    [Fact]
    public void Instruments_without_a_stream_are_counted_and_logged_once_never_thrown()
    {
        var logger = new CollectingLogger();
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("known") { Agg = { MAgg.Sum }, BatchSize = 1 });
        mc.Logger = logger;
        using var meter = new Meter(UniqueMeterName());
        var unknown = meter.CreateCounter<long>("unknown");
        using var listening = mc.ListenTo(meter.Name);

        unknown.Add(1);
        unknown.Add(2);
        meter.CreateCounter<long>("known").Add(7);
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("known.sum", 7));
        mc.Statistics.UnroutedMeasurements.Should().Be(2);
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 5).Which.Message.Should().Contain("unknown").And.Contain(meter.Name);
    }

    [Fact]
    public void Refused_values_are_counted_and_logged_once_never_thrown()
    {
        var logger = new CollectingLogger();
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("latency") { Agg = { MAgg.Sum }, BatchSize = 1 });
        mc.Logger = logger;
        using var meter = new Meter(UniqueMeterName());
        var latency = meter.CreateHistogram<double>("latency");
        using var listening = mc.ListenTo(meter.Name);

        latency.Record(double.NaN);
        latency.Record(double.PositiveInfinity);

        mc.Statistics.RejectedMeasurements.Should().Be(2);
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 6);
    }

    [Fact]
    public void A_predicate_chooses_instruments_and_other_meters_are_ignored()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("hits") { Agg = { MAgg.Sum }, BatchSize = 1 });
        using var followed = new Meter(UniqueMeterName());
        using var ignored = new Meter(UniqueMeterName());
        using var listening = mc.ListenTo(instrument => instrument.Meter == followed && instrument.Name == "hits");

        followed.CreateCounter<int>("hits").Add(1);
        ignored.CreateCounter<int>("hits").Add(100);
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("hits.sum", 1));
        mc.Statistics.UnroutedMeasurements.Should().Be(0);
    }

    [Fact]
    public void Disposing_the_handle_or_the_coordinator_stops_following()
    {
        var sink = new CollectingSink();
        var mc = _time.Coordinator(sink, new MStream("hits") { Agg = { MAgg.Sum }, BatchSize = 1 });
        using var meter = new Meter(UniqueMeterName());
        var hits = meter.CreateCounter<int>("hits");
        var first = mc.ListenTo(meter.Name);
        hits.Add(1);
        first.Dispose();
        hits.Add(10);
        mc.ListenTo(meter.Name);
        hits.Add(100);
        mc.Dispose();

        hits.Add(1000);

        sink.Elements.Should().Equal(new MElement("hits.sum", 1), new MElement("hits.sum", 100));
        FluentActions.Invoking(() => mc.ListenTo(meter.Name)).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void ListenTo_rejects_bad_arguments()
    {
        using var mc = new MCoordinator();

        FluentActions.Invoking(() => mc.ListenTo((string)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => mc.ListenTo("")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => mc.ListenTo((Func<Instrument, bool>)null!)).Should().Throw<ArgumentNullException>().WithParameterName("predicate");
    }
}
