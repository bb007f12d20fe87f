using System.Globalization;
using System.Reactive.Concurrency;
using Metrix.Tests.Support;

namespace Metrix.Tests;

/// <summary>The coordinator's routing, validation, configuration and text form (timers: Inputs/TimerTests; dispose: Delivery/DisposeTests).</summary>
public sealed class MCoordinatorTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    private static MStream Summed(string name, int batchSize = 1) => new(name) { Agg = { MAgg.Sum }, BatchSize = batchSize };

    [Fact]
    public void Two_streams_into_two_sinks_each_sink_gets_every_aggregate()
    {
        var first = new CollectingSink();
        var second = new CollectingSink();
        using var mc = new MCoordinator
        {
            MStreams =
            {
                new MStream("a") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) },
                new MStream("b") { Agg = { MAgg.Max }, WindowSize = TimeSpan.FromSeconds(1) },
            },
            MSinks = { first, second },
            Scheduler = _time.Clock,
        };

        mc.Send("a", 1);
        mc.Send("b", 5);
        mc.Send("a", 2);
        mc.Send("b", 3);
        _time.AdvanceToSeconds(1);

        first.Elements.Should().Equal(new MElement("a.sum", 3), new MElement("b.max", 5));
        second.Elements.Should().Equal(first.Elements);
    }

    [Fact]
    public void Streams_are_found_by_name_through_the_indexer()
    {
        var stream = Summed("wc");
        using var mc = new MCoordinator { MStreams = { stream } };

        mc.MStreams["wc"].Should().BeSameAs(stream);
        mc.MStreams.Should().ContainSingle();
        FluentActions.Invoking(() => mc.MStreams["nope"]).Should().Throw<KeyNotFoundException>().WithMessage("*'nope'*");
    }

    [Fact]
    public void Send_to_an_unknown_metric_names_it_and_changes_nothing()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, Summed("known", batchSize: 2));
        mc.Send("known", 1);

        FluentActions.Invoking(() => mc.Send("unknown", 1))
            .Should().Throw<KeyNotFoundException>().WithMessage("*'unknown'*");

        mc.Send("known", 2);
        _time.Tick();
        sink.Elements.Should().Equal(new MElement("known.sum", 3));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Send_of_a_non_finite_value_is_rejected_and_nothing_else_is_lost(double nonFinite)
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, Summed("n", batchSize: 2));
        mc.Send("n", 1);

        FluentActions.Invoking(() => mc.Send("n", nonFinite))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value").WithMessage("*'n'*finite*");

        mc.Send("n", 2);
        _time.Tick();
        sink.Elements.Should().Equal(new MElement("n.sum", 3));
    }

    [Fact]
    public void Send_with_a_bad_tag_is_rejected_and_nothing_else_is_lost()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, Summed("n", batchSize: 2));
        mc.Send("n", 1);

        FluentActions.Invoking(() => mc.Send("n", 5, Tags.Of(("", "v"))))
            .Should().Throw<ArgumentException>().WithParameterName("tags");
        FluentActions.Invoking(() => mc.Send("n", 5, new Dictionary<string, string> { ["k"] = null! }))
            .Should().Throw<ArgumentException>().WithParameterName("tags").WithMessage("*'k'*");

        mc.Send("n", 2);
        _time.Tick();
        sink.Elements.Should().Equal(new MElement("n.sum", 3));
    }

    [Fact]
    public void Send_with_a_null_name_is_rejected()
    {
        using var mc = new MCoordinator { MStreams = { Summed("n") } };

        FluentActions.Invoking(() => mc.Send(null!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("name");
    }

    [Fact]
    public void A_rejected_send_does_not_start_the_coordinator()
    {
        using var mc = new MCoordinator { MStreams = { Summed("n") } };

        FluentActions.Invoking(() => mc.Send("n", double.NaN)).Should().Throw<ArgumentOutOfRangeException>();

        // Still configurable: the bad call changed nothing.
        mc.Scheduler = _time.Clock;
        mc.Scheduler.Should().BeSameAs(_time.Clock);
    }

    [Fact]
    public void Send_does_not_keep_the_callers_tag_dictionary()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, Summed("n", batchSize: 2));
        var tags = Tags.Of(("k", "a"));

        mc.Send("n", 1, tags);
        tags["k"] = "b";
        mc.Send("n", 2, tags);
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("n.sum", 1, Tags.Of(("k", "a"))), new MElement("n.sum", 2, Tags.Of(("k", "b"))));
    }

    [Fact]
    public void Streams_and_sinks_added_after_sending_began_take_part_from_then_on()
    {
        var early = new CollectingSink();
        using var mc = _time.Coordinator(early, Summed("a"));
        mc.Send("a", 1);
        _time.Tick();

        var late = new CollectingSink();
        mc.AddMSink(late);
        mc.AddMStream(new MStream("b") { Agg = { MAgg.Max }, WindowSize = TimeSpan.FromSeconds(1) });
        mc.Send("a", 2);
        mc.Send("b", 7);
        _time.AdvanceToSeconds(1);

        early.Elements.Should().Equal(new MElement("a.sum", 1), new MElement("a.sum", 2), new MElement("b.max", 7));
        late.Elements.Should().Equal(new MElement("a.sum", 2), new MElement("b.max", 7));
    }

    [Fact]
    public void A_sink_is_added_once()
    {
        var sink = new CollectingSink();
        using var mc = new MCoordinator { MSinks = { sink } };

        FluentActions.Invoking(() => mc.AddMSink(sink)).Should().Throw<ArgumentException>().WithMessage("*already*");
        FluentActions.Invoking(() => mc.AddMSink(null!)).Should().Throw<ArgumentNullException>().WithParameterName("sink");
        FluentActions.Invoking(() => mc.AddMStream(null!)).Should().Throw<ArgumentNullException>().WithParameterName("stream");
        mc.MSinks.Should().Equal(sink);
    }

    [Fact]
    public void Scheduler_cannot_change_once_the_coordinator_started()
    {
        using var mc = _time.Coordinator(new CollectingSink(), Summed("n"));
        mc.Flush();

        FluentActions.Invoking(() => mc.Scheduler = new HistoricalScheduler())
            .Should().Throw<InvalidOperationException>().WithMessage("*Scheduler*");
        mc.Scheduler.Should().BeSameAs(_time.Clock);
    }

    [Fact]
    public void Schedulers_that_run_work_on_the_calling_thread_are_rejected()
    {
        using var mc = new MCoordinator();

        FluentActions.Invoking(() => mc.Scheduler = ImmediateScheduler.Instance)
            .Should().Throw<ArgumentException>().WithParameterName("Scheduler").WithMessage("*ImmediateScheduler*calling thread*");
        FluentActions.Invoking(() => mc.Scheduler = CurrentThreadScheduler.Instance)
            .Should().Throw<ArgumentException>().WithParameterName("Scheduler");
        FluentActions.Invoking(() => mc.Scheduler = null!)
            .Should().Throw<ArgumentNullException>().WithParameterName("Scheduler");
        mc.Scheduler.Should().BeSameAs(DefaultScheduler.Instance);
    }

    [Fact]
    public void Default_scheduler_is_real_time_and_default_logger_discards()
    {
        using var mc = new MCoordinator();

        mc.Scheduler.Should().BeSameAs(DefaultScheduler.Instance);
        mc.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Critical).Should().BeFalse();
        mc.RateLimit.Should().BeNull();
        mc.SinkQueueCapacity.Should().Be(MCoordinator.DefaultSinkQueueCapacity);
    }

    [Fact]
    public void ToString_describes_streams_and_sinks_with_rate_limits()
    {
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("wc") { Agg = { MAgg.Sum, MAgg.Mean }, WindowSize = TimeSpan.FromMinutes(5) } },
            MSinks = { new MSinkPrinter(TextWriter.Null), { new MSinkPrinter(), TimeSpan.FromSeconds(2) } },
            RateLimit = TimeSpan.FromSeconds(0.5),
        };

        mc.ToString().Should().Be(
            "MCoordinator(streams=[MStream('wc', window=300s, agg=[sum, mean])], "
            + "sinks=[MSinkPrinter rate_limit=0.5s, MSinkPrinter(Console.Out) rate_limit=2s])");
    }
}
