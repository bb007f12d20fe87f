using System.Globalization;
using Metrix.Tests.Support;

namespace Metrix.Tests.Delivery;

/// <summary>A rate limit r: consecutive deliveries to a sink at least r apart. It paces; it never drops.</summary>
public sealed class RateLimitTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void Rate_limit_paces_deliveries_and_drops_nothing()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 5 } },
            MSinks = { sink },
            RateLimit = TimeSpan.FromSeconds(0.5),
            Scheduler = _time.Clock,
        };

        for (var i = 0; i < 5; i++)
        {
            mc.Send("n", i, Tags.Of(("i", i.ToString(CultureInfo.InvariantCulture))));
        }

        _time.AdvanceToSeconds(1.9);
        sink.Elements.Should().HaveCount(4);

        _time.AdvanceToSeconds(10);
        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0, 0.5, 1, 1.5, 2);
        sink.Elements.Select(e => e.Value).Should().Equal(0, 1, 2, 3, 4);
    }

    [Fact]
    public void Rate_limit_set_before_the_sinks_in_the_initializer_applies_to_them()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = new MCoordinator
        {
            RateLimit = TimeSpan.FromSeconds(1),
            Scheduler = _time.Clock,
            MSinks = { sink },
            MStreams = { new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, BatchSize = 1 } },
        };

        mc.Send("n", 7);
        _time.AdvanceToSeconds(5);

        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0, 1);
    }

    [Fact]
    public void Each_sink_has_its_own_rate_limit_and_the_scalar_is_the_default()
    {
        var fast = new CollectingSink(_time.Clock);
        var paced = new CollectingSink(_time.Clock);
        var own = new CollectingSink(_time.Clock);
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Min, MAgg.Max, MAgg.Sum }, BatchSize = 1 } },
            MSinks = { { fast, TimeSpan.Zero }, paced, { own, TimeSpan.FromSeconds(2) } },
            RateLimit = TimeSpan.FromSeconds(0.5),
            Scheduler = _time.Clock,
        };

        mc.Send("n", 1);
        _time.AdvanceToSeconds(10);

        fast.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0, 0, 0);
        paced.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0, 0.5, 1);
        own.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0, 2, 4);
        fast.Elements.Should().Equal(paced.Elements).And.Equal(own.Elements);
    }

    [Fact]
    public void Pacing_spans_batches_a_delivery_soon_after_the_last_one_waits()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 1 } },
            MSinks = { { sink, TimeSpan.FromSeconds(1) } },
            Scheduler = _time.Clock,
        };

        mc.Send("n", 1);
        _time.AdvanceToSeconds(0.25);
        mc.Send("n", 2);
        _time.AdvanceToSeconds(3.5);
        mc.Send("n", 3);
        _time.AdvanceToSeconds(10);

        // The second waits until 1 s after the first; the third, after an idle gap, goes at once.
        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0, 1, 3.5);
    }

    [Fact]
    public void Without_a_rate_limit_a_batch_is_delivered_at_once()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum, MAgg.Mean, MAgg.Max }, BatchSize = 2 });

        mc.Send("n", 1);
        mc.Send("n", 2);
        _time.Tick();

        sink.Elements.Should().HaveCount(3);
    }

    [Fact]
    public void Negative_rate_limits_are_rejected()
    {
        using var mc = new MCoordinator();

        FluentActions.Invoking(() => mc.RateLimit = TimeSpan.FromSeconds(-1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RateLimit");
        FluentActions.Invoking(() => mc.AddMSink(new CollectingSink(), TimeSpan.FromSeconds(-1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rateLimit");
        mc.RateLimit.Should().BeNull();
        mc.MSinks.Should().BeEmpty();
    }

    [Fact]
    public void Rate_limit_cannot_change_once_the_coordinator_started()
    {
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 1 });
        mc.Send("n", 1);

        FluentActions.Invoking(() => mc.RateLimit = TimeSpan.FromSeconds(1))
            .Should().Throw<InvalidOperationException>().WithMessage("*RateLimit*started*");
        mc.RateLimit.Should().BeNull();
    }

    [Fact]
    public void Dispose_delivers_the_paced_backlog_on_the_virtual_clock()
    {
        var sink = new CollectingSink(_time.Clock);
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromMinutes(1) } },
            MSinks = { sink },
            RateLimit = TimeSpan.FromSeconds(0.5),
            Scheduler = _time.Clock,
        };

        for (var i = 0; i < 4; i++)
        {
            mc.Send("n", 1, Tags.Of(("i", i.ToString(CultureInfo.InvariantCulture))));
        }

        mc.Dispose();

        sink.Elements.Should().HaveCount(4);
        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0, 0.5, 1, 1.5);
    }
}
