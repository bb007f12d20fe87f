using System.Globalization;
using System.Reactive.Concurrency;
using Metrix.Tests.Support;

namespace Metrix.Tests.Inputs;

/// <summary><c>MCoordinator.Timer</c>: the elapsed time on the scheduler's clock, scaled, sent once; bad arguments refused at the call.</summary>
public sealed class TimerTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    private static MStream Summed(string name, int batchSize = 1) => new(name) { Agg = { MAgg.Sum }, BatchSize = batchSize };

    [Fact]
    public void Timer_sends_elapsed_virtual_seconds_times_scale_with_tags()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("latency")
        {
            Agg = { MAgg.Max },
            BatchSize = 1,
            DefaultTags = Tags.Of(("host", "a")),
        });

        var timer = mc.Timer("latency", scale: 1000, tags: Tags.Of(("route", "/home")));
        _time.Clock.AdvanceBySeconds(1.5);
        timer.Dispose();
        timer.Dispose();
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("latency.max", 1500, Tags.Of(("host", "a"), ("route", "/home"))));
    }

    [Fact]
    public void Timer_with_default_scale_sends_seconds()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, Summed("t"));

        using (mc.Timer("t"))
        {
            _time.Clock.AdvanceBySeconds(0.25);
        }

        _time.Tick();
        sink.Elements.Should().Equal(new MElement("t.sum", 0.25));
    }

    [Fact]
    public void Timer_rejects_bad_arguments_at_the_call()
    {
        using var mc = new MCoordinator { MStreams = { Summed("t") } };

        FluentActions.Invoking(() => mc.Timer("nope")).Should().Throw<KeyNotFoundException>().WithMessage("*'nope'*");
        FluentActions.Invoking(() => mc.Timer("t", double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("scale");
        FluentActions.Invoking(() => mc.Timer("t", tags: Tags.Of(("", "x")))).Should().Throw<ArgumentException>().WithParameterName("tags");
    }

    [Fact]
    public void A_timer_stopped_after_dispose_is_counted_and_logged_not_thrown()
    {
        var logger = new CollectingLogger();
        var mc = _time.Coordinator(new CollectingSink(), Summed("t"));
        mc.Logger = logger;
        var timer = mc.Timer("t");
        mc.Dispose();

        timer.Dispose();

        mc.Statistics.Dropped.Should().Be(1);
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 3).Which.Message.Should().Contain("timer");
    }

    [Fact]
    public void A_timer_whose_scaled_value_overflows_is_counted_and_logged_not_sent()
    {
        var logger = new CollectingLogger();
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, Summed("t"));
        mc.Logger = logger;
        var timer = mc.Timer("t", scale: double.MaxValue);
        _time.Clock.AdvanceBySeconds(2);

        timer.Dispose();
        _time.Tick();

        sink.Elements.Should().BeEmpty();
        mc.Statistics.Dropped.Should().Be(1);
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 3).Which.Message.Should().Contain("not a finite number");
    }
}
