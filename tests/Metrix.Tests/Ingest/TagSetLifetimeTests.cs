using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>
/// MaxTagSets bounds the distinct tag sets of one open window, not of the process's life: tag sets
/// unused for a window are forgotten, so rotating tag values never end up in overflow and memory
/// stays bounded by the cap.
/// </summary>
public sealed class TagSetLifetimeTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void New_tag_sets_in_a_later_window_get_their_own_group_after_an_earlier_window_overflowed()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 100 });

        for (var user = 0; user < 150; user++)
        {
            mc.Send("n", 1, Tags.Of(("user", $"u{user}")));
        }

        _time.AdvanceToSeconds(1);
        foreach (var user in new[] { "new-a", "new-b", "new-c" })
        {
            mc.Send("n", 1, Tags.Of(("user", user)));
        }

        _time.AdvanceToSeconds(2);

        var first = sink.Elements.Take(101).ToList();
        first.Should().HaveCount(101);
        first[^1].Should().Be(new MElement("n.count", 50, Tags.Of(("metrix.overflow", "true"))), "the first window holds 150 tag sets, 100 allowed");
        sink.Elements.Skip(101).Should().Equal(
            new MElement("n.count", 1, Tags.Of(("user", "new-a"))),
            new MElement("n.count", 1, Tags.Of(("user", "new-b"))),
            new MElement("n.count", 1, Tags.Of(("user", "new-c"))));
    }

    [Fact]
    public void A_tag_set_refused_in_a_full_window_that_closes_before_its_send_is_added_gets_its_own_group_in_the_next()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 2 });
        var stream = mc.Stream("n");
        mc.Send("n", 1, ("user", "a"));
        mc.Send("n", 1, ("user", "b"));

        // A send resolves its tags while window 0 is full; the window closes before it is added.
        var late = stream.Tags.Resolve([("user", "late")], "tags");
        _time.AdvanceToSeconds(1);
        stream.TryPost(1, ref late).Should().BeTrue();
        _time.AdvanceToSeconds(2);

        sink.Elements.Skip(2).Should().Equal(new MElement("n.count", 1, Tags.Of(("user", "late"))));
        mc.Statistics.TagSetOverflows.Should().Be(0, "window 1 had room");
    }

    [Fact]
    public void A_tag_set_refused_in_a_full_window_goes_to_that_window_s_overflow_group()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 2 });
        var stream = mc.Stream("n");
        mc.Send("n", 1, ("user", "a"));
        mc.Send("n", 1, ("user", "b"));

        var refused = stream.Tags.Resolve([("user", "c")], "tags");
        stream.TryPost(1, ref refused).Should().BeTrue();
        mc.Send("n", 1, ("user", "c"));
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Contain(new MElement("n.count", 2, Tags.Of(("metrix.overflow", "true"))));
        stream.Tags.RememberedCount.Should().Be(2, "a refused tag set is not remembered");
    }

    [Fact]
    public void Two_hundred_windows_of_forty_never_seen_users_never_overflow_and_stay_bounded()
    {
        var sink = new CountingSink("user");
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 100 });

        for (var window = 0; window < 200; window++)
        {
            SendNewUsers(mc, window, 40);
            _time.AdvanceToSeconds(window + 1);
            mc.Stream("n").Tags.RememberedCount.Should().BeLessThanOrEqualTo(2 * 100, "at most the open window's and the last window's tag sets are remembered");
        }

        mc.Statistics.TagSetOverflows.Should().Be(0);
        sink.WithoutTag.Should().Be(0);
        sink.Count.Should().Be(200 * 40 * 2, "every user's sum and count, under its own tags");
    }

    [Fact]
    public void Tag_sets_of_windows_long_gone_are_not_kept_alive()
    {
        var sink = new CountingSink("user");
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 100 });

        // The same users twice (so the lookup caches see them), then ten windows of others.
        var early = SendTrackedUsers(mc, 40);
        _time.AdvanceToSeconds(1);
        for (var window = 1; window <= 10; window++)
        {
            SendNewUsers(mc, window, 40);
            _time.AdvanceToSeconds(window + 1);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        early.Should().OnlyContain(user => !user.IsAlive, "nothing of a tag set unused for many windows stays reachable");
    }

    [Fact]
    public void A_tag_set_unused_for_a_window_is_forgotten_and_comes_back_under_its_own_tags()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 2 });
        var registry = mc.Stream("n").Tags;

        mc.Send("n", 1, Tags.Of(("user", "a")));
        mc.Send("n", 2, Tags.Of(("user", "b")));
        _time.AdvanceToSeconds(1);
        mc.Send("n", 3, Tags.Of(("user", "c")));
        mc.Send("n", 4, Tags.Of(("user", "d")));
        _time.AdvanceToSeconds(2);
        mc.Send("n", 5, Tags.Of(("user", "a")));
        _time.AdvanceToSeconds(3);

        sink.Elements.Should().Equal(
            new MElement("n.sum", 1, Tags.Of(("user", "a"))),
            new MElement("n.sum", 2, Tags.Of(("user", "b"))),
            new MElement("n.sum", 3, Tags.Of(("user", "c"))),
            new MElement("n.sum", 4, Tags.Of(("user", "d"))),
            new MElement("n.sum", 5, Tags.Of(("user", "a"))));
        registry.RememberedCount.Should().BeLessThanOrEqualTo(2 * 2);
    }

    [Fact]
    public async Task Churning_tag_sets_sent_from_four_threads_while_real_time_windows_close_are_each_counted_once_per_window()
    {
        const int Threads = 4;
        const int Windows = 200;
        var sink = new CollectingSink();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromMilliseconds(2), MaxTagSets = 32 } },
            MSinks = { sink },
        };

        // 48 tag sets in rotation (more than the cap of 32, which bounds one window, not the run), each thread moving on every 3 ms: a window sees a few of them,
        // and each comes back after about 150 ms, long after it was forgotten, so tag sets are
        // forgotten and found again all the time while the senders race the closes. The senders
        // run until 200 windows have closed (at most 20 s), and pause now and then: four busy
        // threads on two cores would starve the thread pool that runs every timer of the process.
        var sent = new long[Threads];
        var clock = Stopwatch.StartNew();
        using var start = new Barrier(Threads);
        await DedicatedThreads.Run(Threads, t =>
        {
            var tagSets = Enumerable.Range(0, 48).Select(i => Tags.Of(("k", $"{i}"))).ToArray();
            start.SignalAndWait();
            while (mc.Statistics.Delivered < Windows * 4 && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                mc.Send("n", 1, tagSets[((clock.ElapsedMilliseconds / 3) + (t * 12)) % 48]);
                if (++sent[t] % 256 == 0)
                {
                    Thread.Sleep(1);
                }
            }
        });
        await mc.DisposeAsync();

        sink.Elements.Sum(e => e.Value).Should().Be(sent.Sum());
        sink.Elements.GroupBy(e => (e.Timestamp, e.Key)).Should().OnlyContain(g => g.Count() == 1, "a tag set is emitted once per window");
        foreach (var window in sink.Elements.GroupBy(e => e.Timestamp))
        {
            // A window held up by a busy thread pool can see many tag sets; only a full one overflows.
            var own = window.Count(e => !e.Tags!.ContainsKey("metrix.overflow"));
            own.Should().BeLessThanOrEqualTo(32);
            if (own < 32)
            {
                window.Should().NotContain(e => e.Tags!.ContainsKey("metrix.overflow"), $"the window at {window.Key:O} had room");
            }
        }

        sink.Elements.Select(e => e.Timestamp).Distinct().Count().Should().BeGreaterThan(Windows / 4, "the senders raced many closes");
        mc.Stream("n").Tags.RememberedCount.Should().BeLessThanOrEqualTo(2 * 32);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<WeakReference> SendTrackedUsers(MCoordinator mc, int count)
    {
        var users = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"early-{i}")).ToList();
        foreach (var user in users.Concat(users))
        {
            mc.Send("n", 1, new Dictionary<string, string> { ["user"] = user });
        }

        return users.ConvertAll(user => new WeakReference(user));
    }

    /// <summary>Fresh dictionaries and fresh strings: nothing the caller holds keeps them alive.</summary>
    private static void SendNewUsers(MCoordinator mc, int window, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var user = string.Create(CultureInfo.InvariantCulture, $"user-{window}-{i}");
            mc.Send("n", i, new Dictionary<string, string> { ["user"] = user });
        }
    }
}
