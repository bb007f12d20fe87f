using System.Diagnostics;
using System.Reactive.Concurrency;
using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>
/// A window closes once, at or after its boundary, stamped with that boundary: timers that fire
/// early (as real ones do) never split a window nor close it before its end. A timer that fires
/// early is set again for the boundary, at least 1 ms later (so it never spins); an element sent in
/// that millisecond still belongs to the closing window.
/// </summary>
public sealed class WindowCloseTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(20);

    [Fact]
    public void Early_timers_close_each_window_once_at_its_boundary_with_all_its_elements()
    {
        var scheduler = new EarlyTimerScheduler();
        var sink = new CollectingSink(scheduler);
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Count, MAgg.Min, MAgg.Max }, WindowSize = Window } },
            MSinks = { sink },
            Scheduler = scheduler,
        };

        // One element every 0.1 ms for 50 windows: value = the window it was sent in.
        var step = TimeSpan.FromMilliseconds(0.1);
        for (var at = TimeSpan.Zero; at < 50 * Window; at += step)
        {
            scheduler.Clock.AdvanceTo(VirtualTime.Start + at);
            mc.Send("n", (int)(at.Ticks / Window.Ticks));
        }

        scheduler.Clock.AdvanceTo(VirtualTime.Start + (52 * Window));

        var counts = sink.Elements.Where(e => e.Name == "n.count").ToList();
        counts.Should().HaveCount(50, "each window is emitted exactly once");
        counts.Sum(e => e.Value).Should().Be(50 * 200, "every element is counted once");
        counts.Select(e => e.Value).Should().OnlyContain(c => c >= 190 && c <= 210, "a window holds the elements sent in it, give or take its last millisecond");
        counts.Select(e => e.Timestamp!.Value - VirtualTime.Start)
            .Should().Equal(Enumerable.Range(1, 50).Select(k => k * Window), "each is stamped with its own boundary");
        sink.Elements.Where(e => e.Name == "n.min").Select(e => e.Value).Should().Equal(Enumerable.Range(0, 50).Select(k => (double)k));
        sink.Elements.Where(e => e.Name == "n.max").Select((e, k) => e.Value - k).Should().OnlyContain(d => d == 0 || d == 1);
        sink.Times.Zip(sink.Elements).Should().OnlyContain(
            delivery => delivery.First >= delivery.Second.Timestamp, "no window is delivered before its boundary");
    }

    [Fact]
    public void An_early_timer_does_not_close_a_lone_element_s_window_before_its_boundary()
    {
        var scheduler = new EarlyTimerScheduler();
        var sink = new CollectingSink(scheduler);
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, WindowSize = Window } },
            MSinks = { sink },
            Scheduler = scheduler,
        };

        mc.Send("n", 1);
        scheduler.Clock.AdvanceTo(VirtualTime.Start + Window - TimeSpan.FromTicks(1));
        sink.Elements.Should().BeEmpty("the window ends at 20 ms, however early its timer fires");

        mc.Send("n", 2);
        scheduler.Clock.AdvanceTo(VirtualTime.Start + (3 * Window));
        sink.Elements.Should().Equal(new MElement("n.sum", 3));
        sink.Times.Should().Equal(VirtualTime.Start + Window);
    }

    [Fact]
    public async Task On_the_real_time_scheduler_no_window_is_emitted_twice_nor_closed_before_its_boundary()
    {
        var sink = new CollectingSink();
        var clock = Stopwatch.StartNew();
        var start = DefaultScheduler.Instance.Now;

        // A custom aggregation runs when its window closes: it records when, on the scheduler's clock.
        var closedAt = new MAgg("closed_at", _ => (DefaultScheduler.Instance.Now - start).TotalMilliseconds);
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Count, closedAt }, WindowSize = Window } },
            MSinks = { sink },
        };

        // Until 100 windows have closed (bounded: a machine busy with other tests closes them late).
        long sent = 0;
        await DedicatedThreads.Start(() =>
        {
            while (sink.Elements.Count < 2 * 100 && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                mc.Send("n", 1);
                sent++;
                Thread.SpinWait(200);
            }
        });
        await mc.DisposeAsync();

        var counts = sink.Elements.Where(e => e.Name == "n.count").ToList();
        var closes = sink.Elements.Where(e => e.Name == "n.closed_at").ToList();
        counts.Sum(e => e.Value).Should().Be(sent, "nothing is lost or counted twice");

        // Every window but the last (closed by dispose, stamped then) ends on the 20 ms grid.
        var first = counts[0].Timestamp!.Value;
        var windows = counts.SkipLast(1).Select(e => (e.Timestamp!.Value - first).Ticks).ToList();
        windows.Should().OnlyContain(offset => offset % Window.Ticks == 0, "a window is stamped with its own boundary");
        windows.Should().OnlyHaveUniqueItems("no window is emitted twice");
        counts.Count.Should().BeGreaterThanOrEqualTo(100);
        foreach (var close in closes.SkipLast(1))
        {
            var boundary = (close.Timestamp!.Value - start).TotalMilliseconds;
            close.Value.Should().BeGreaterThanOrEqualTo(boundary - 0.001, "a window never closes before its boundary");
        }
    }
}
