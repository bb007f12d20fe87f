using System.Reactive.Concurrency;
using Metrix.Tests.Support;

namespace Metrix.Tests.Delivery;

/// <summary>
/// A rate limit is measured on the scheduler's clock, and holds there even when timers fire early
/// (as real ones do): consecutive deliveries are never closer than the limit.
/// </summary>
public sealed class RateLimitTimingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void Early_timers_never_deliver_sooner_than_the_rate_limit()
    {
        var scheduler = new EarlyTimerScheduler();
        var sink = new CollectingSink(scheduler);
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 1 } },
            MSinks = { { sink, Limit } },
            Scheduler = scheduler,
        };

        for (var i = 0; i < 20; i++)
        {
            mc.Send("n", i);
        }

        scheduler.Clock.AdvanceBy(TimeSpan.FromSeconds(1));

        sink.Elements.Select(e => e.Value).Should().Equal(Enumerable.Range(0, 20).Select(i => (double)i));
        sink.Times.Zip(sink.Times.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= Limit);
    }

    [Fact]
    public async Task On_the_real_time_scheduler_deliveries_are_never_closer_than_the_rate_limit()
    {
        var sink = new CollectingSink(DefaultScheduler.Instance);
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 1 } },
            MSinks = { { sink, Limit } },
        };

        for (var i = 0; i < 40; i++)
        {
            mc.Send("n", i);
        }

        await mc.DisposeAsync();

        sink.Elements.Select(e => e.Value).Should().Equal(Enumerable.Range(0, 40).Select(i => (double)i), "pacing drops nothing");
        // The sink reads the clock a few microseconds after the lane stamped the delivery; an early
        // timer is early by up to a millisecond.
        var tolerance = TimeSpan.FromMilliseconds(0.1);
        sink.Times.Zip(sink.Times.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= Limit - tolerance, "a rate limit is never beaten by an early timer");
    }
}
