using System.Diagnostics;
using System.Globalization;
using Metrix.Tests.Support;

namespace Metrix.Tests;

/// <summary>
/// A bound series sends exactly as a send with its tags would, in every window, through the
/// tag-set lifetime rules (admission per window, overflow for that window only, forgetting), from
/// any number of threads; after the coordinator is disposed it refuses.
/// </summary>
public sealed class MSeriesTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void A_series_has_its_name_and_its_tags_merged_with_the_stream_s_defaults()
    {
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("latency")
        {
            Agg = { MAgg.Sum },
            WindowSize = Second,
            DefaultTags = Tags.Of(("section", "NA"), ("site", "main")),
        });

        var home = mc.Series("latency", ("section", "news"), ("route", "/home"));
        var fromDictionary = mc.Series("latency", Tags.Of(("route", "/about")));
        var plain = mc.Series("latency");

        home.Name.Should().Be("latency");
        home.Tags.Should().Equal(Tags.Of(("route", "/home"), ("section", "news"), ("site", "main")));
        fromDictionary.Tags.Should().Equal(Tags.Of(("route", "/about"), ("section", "NA"), ("site", "main")));
        plain.Tags.Should().Equal(Tags.Of(("section", "NA"), ("site", "main")));
        home.ToString().Should().Be("MSeries('latency', {'route': '/home', 'section': 'news', 'site': 'main'})");
    }

    [Fact]
    public void A_series_without_tags_on_a_stream_without_defaults_has_no_tags()
    {
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("n") { Agg = { MAgg.Sum }, WindowSize = Second });

        var series = mc.Series("n", (IReadOnlyDictionary<string, string>?)null);

        series.Tags.Should().BeNull();
        series.ToString().Should().Be("MSeries('n', None)");
    }

    [Fact]
    public void Values_of_a_series_join_the_group_of_sends_with_the_same_tags()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("latency") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = Second });
        var home = mc.Series("latency", ("route", "/home"), ("status", "200"));
        var fromDictionary = mc.Series("latency", Tags.Of(("status", "200"), ("route", "/home")));

        home.Send(1);
        mc.Send("latency", 2, ("status", "200"), ("route", "/home"));
        fromDictionary.Send(4);
        mc.Send("latency", 8, Tags.Of(("route", "/home"), ("status", "200")));
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("latency.sum", 15, Tags.Of(("route", "/home"), ("status", "200"))),
            new MElement("latency.count", 4, Tags.Of(("route", "/home"), ("status", "200"))));
    }

    [Fact]
    public void A_series_keeps_sending_across_many_windows_and_through_being_forgotten()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = Second, MaxTagSets = 4 });
        var series = mc.Series("n", ("user", "bound"));

        // Every third window the series is idle while eight others churn: it is forgotten then.
        for (var window = 0; window < 60; window++)
        {
            if (window % 3 == 2)
            {
                for (var other = 0; other < 8; other++)
                {
                    mc.Send("n", 0, ("user", string.Create(CultureInfo.InvariantCulture, $"w{window}-{other}")));
                }
            }
            else
            {
                series.Send(window);
                series.Send(1000);
            }

            _time.AdvanceToSeconds(window + 1);
        }

        var bound = sink.Elements.Where(e => e.Tags!.TryGetValue("user", out var user) && user == "bound").ToList();
        bound.Select(e => e.Value).Should().Equal(Enumerable.Range(0, 60).Where(w => w % 3 != 2).Select(w => w + 1000.0));
        bound.Select(e => e.Timestamp).Should().OnlyHaveUniqueItems();
        mc.Stream("n").Tags.RememberedCount.Should().BeLessThanOrEqualTo(2 * 4);
    }

    [Fact]
    public void A_series_goes_to_overflow_only_in_a_window_already_full_when_it_first_sends_there()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = Second, MaxTagSets = 2 });
        var early = mc.Series("n", ("user", "early"));
        mc.Send("n", 1, ("user", "a"));
        mc.Send("n", 2, ("user", "b"));
        var late = mc.Series("n", ("user", "late"));

        // Window 0: a and b took the cap before either series sent.
        early.Send(10);
        late.Send(20);
        _time.AdvanceToSeconds(1);

        // Window 1: the series send first.
        early.Send(30);
        late.Send(40);
        mc.Send("n", 3, ("user", "a"));
        _time.AdvanceToSeconds(2);

        // Binding a series admits nothing: the series are admitted with their first values.
        sink.Elements.Should().Equal(
            new MElement("n.sum", 1, Tags.Of(("user", "a"))),
            new MElement("n.sum", 2, Tags.Of(("user", "b"))),
            new MElement("n.sum", 30, Tags.Of(("metrix.overflow", "true"))),
            new MElement("n.sum", 30, Tags.Of(("user", "early"))),
            new MElement("n.sum", 40, Tags.Of(("user", "late"))),
            new MElement("n.sum", 3, Tags.Of(("metrix.overflow", "true"))));
        mc.Statistics.TagSetOverflows.Should().BeGreaterThan(0);
    }

    [Fact]
    public void A_series_timer_sends_the_scaled_elapsed_time()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("latency") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = Second });
        var home = mc.Series("latency", ("route", "/home"));

        using (home.Timer(scale: 1000))
        {
            _time.Clock.AdvanceBy(TimeSpan.FromMilliseconds(125));
        }

        using (home.Timer())
        {
            _time.Clock.AdvanceBy(TimeSpan.FromMilliseconds(500));
        }

        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("latency.sum", 125.5, Tags.Of(("route", "/home"))),
            new MElement("latency.count", 2, Tags.Of(("route", "/home"))));
    }

    [Fact]
    public void Invalid_values_are_refused_and_change_nothing()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Count }, WindowSize = Second });
        var series = mc.Series("n", ("k", "v"));

        series.Invoking(s => s.Send(double.NaN)).Should().Throw<ArgumentOutOfRangeException>()
            .Which.Message.Should().Contain("Metric 'n'");
        series.Invoking(s => s.Timer(double.NegativeInfinity)).Should().Throw<ArgumentOutOfRangeException>()
            .Which.ParamName.Should().Be("scale");
        mc.Invoking(m => m.Series("missing", ("k", "v"))).Should().Throw<KeyNotFoundException>();
        mc.Invoking(m => m.Series("n", ("k", "v"), ("k", "w"))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("tags");
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().BeEmpty();
    }

    [Fact]
    public void After_the_coordinator_is_disposed_a_series_refuses_and_its_last_values_were_delivered()
    {
        var sink = new CollectingSink();
        var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = Second });
        var series = mc.Series("n", ("k", "v"));
        series.Send(5);

        mc.Dispose();

        sink.Elements.Should().Equal(new MElement("n.sum", 5, Tags.Of(("k", "v"))));
        series.Invoking(s => s.Send(1)).Should().Throw<ObjectDisposedException>();
        series.Invoking(s => s.Timer()).Should().Throw<ObjectDisposedException>();
        mc.Invoking(m => m.Series("n", ("k", "v"))).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task On_the_real_time_scheduler_four_threads_on_one_series_lose_nothing_while_it_is_forgotten_and_found_again()
    {
        const int Threads = 4;
        const int Windows = 100;
        var sink = new CollectingSink();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromMilliseconds(10), MaxTagSets = 2 } },
            MSinks = { sink },
        };
        var series = mc.Series("n", ("user", "bound"));
        var clock = Stopwatch.StartNew();
        var sent = new long[Threads + 1];

        // Four threads started one after another (consecutive ids, so every stripe residue of a
        // 2-core machine) send to the series; a fifth sends ever-new tag sets, more than the cap of
        // 2, so the series is folded into overflow in some windows and forgotten and found again in
        // others while the senders race the closes. They pause now and then: five busy threads on
        // two cores would starve the thread pool that runs the timers.
        using var start = new Barrier(Threads + 1);
        await DedicatedThreads.Run(Threads + 1, t =>
        {
            start.SignalAndWait();
            // A window gives at least three elements: two admitted tag sets and the overflow.
            while (mc.Statistics.Delivered < 3 * Windows && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                if (t < Threads)
                {
                    series.Send(1);
                }
                else
                {
                    mc.Send("n", 1, ("user", string.Create(CultureInfo.InvariantCulture, $"other-{sent[t]}")));
                }

                if (++sent[t] % 256 == 0)
                {
                    Thread.Sleep(1);
                }
            }
        });
        await mc.DisposeAsync();

        sink.Elements.Sum(e => e.Value).Should().Be(sent.Sum(), "nothing is lost or counted twice");
        var bound = sink.Elements.Where(e => e.Tags!.TryGetValue("user", out var user) && user == "bound").ToList();
        bound.Select(e => e.Timestamp).Should().OnlyHaveUniqueItems("the series is one group per window");
        bound.Should().NotBeEmpty();
        sink.Elements.Select(e => e.Timestamp).Distinct().Count().Should().BeGreaterThan(Windows / 4, "the senders raced many closes");
        mc.Stream("n").Tags.RememberedCount.Should().BeLessThanOrEqualTo(2 * 2);
    }

    [Fact]
    public async Task On_the_real_time_scheduler_a_series_is_emitted_once_per_window_and_counted_exactly()
    {
        var sink = new CollectingSink();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromMilliseconds(10) } },
            MSinks = { sink },
        };
        var series = mc.Series("n", ("route", "/home"));
        var clock = Stopwatch.StartNew();

        // Until 100 windows have closed (bounded: a machine busy with other tests closes them late).
        long sent = 0;
        await DedicatedThreads.Start(() =>
        {
            while (sink.Elements.Count < 100 && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                series.Send(1);
                sent++;
                Thread.SpinWait(100);
            }
        });
        await mc.DisposeAsync();

        sink.Elements.Should().OnlyContain(e => e.Tags!["route"] == "/home");
        sink.Elements.Sum(e => e.Value).Should().Be(sent, "nothing is lost or counted twice");
        sink.Elements.Select(e => e.Timestamp).Should().OnlyHaveUniqueItems("no window is emitted twice");
        sink.Elements.Count.Should().BeGreaterThanOrEqualTo(100);
    }

    [Fact]
    public void A_flush_in_the_middle_of_a_window_sends_the_series_later_values_to_the_next_window()
    {
        // The second send of a window goes through the series' slot; a flush closes that batch,
        // so the slot must not be used again.
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = 10 * Second });
        var home = mc.Series("n", ("route", "/home"));

        home.Send(1);
        home.Send(2);
        mc.Flush();
        home.Send(10);
        home.Send(20);
        _time.AdvanceToSeconds(10);

        var tags = Tags.Of(("route", "/home"));
        sink.Elements.Should().Equal(
            new MElement("n.sum", 3, tags), new MElement("n.count", 2, tags),
            new MElement("n.sum", 30, tags), new MElement("n.count", 2, tags));
    }

    [Fact]
    public async Task On_the_real_time_scheduler_threads_sharing_a_stripe_and_threads_of_other_stripes_count_every_value_of_a_series_once()
    {
        // Two threads of stripe 3 replace each other's slot of the series; two more send through
        // stripes 0 and 5. Windows of 10 ms close under them all.
        const int Windows = 100;
        var sink = new CollectingSink();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Count, MAgg.Sum }, WindowSize = TimeSpan.FromMilliseconds(10) } },
            MSinks = { sink },
        };
        var series = mc.Series("n", ("route", "/shared"));
        var clock = Stopwatch.StartNew();
        int[] stripes = [3, 3, 0, 5];
        var sent = new long[stripes.Length];

        var threads = stripes.Select((stripe, t) => StripeThreads.InStripe(stripe, () =>
        {
            while (sink.Elements.Count < 2 * Windows && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                series.Send(t + 1);
                if (++sent[t] % 256 == 0)
                {
                    Thread.Sleep(1);   // four busy threads on two cores would starve the timers' thread pool
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        await mc.DisposeAsync();

        var counts = sink.Elements.Where(e => e.Name == "n.count").ToList();
        counts.Sum(e => e.Value).Should().Be(sent.Sum(), "nothing is lost or counted twice");
        sink.Elements.Where(e => e.Name == "n.sum").Sum(e => e.Value).Should().Be(sent.Select((n, t) => n * (t + 1)).Sum());
        counts.Select(e => e.Timestamp).Should().OnlyHaveUniqueItems("the series is one group per window");
        counts.Count.Should().BeGreaterThanOrEqualTo(Windows);
    }

    [Fact]
    public void Threads_of_different_stripes_taking_turns_share_one_slot_and_every_value_counts_in_its_window()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = Second });
        var series = mc.Series("n", ("route", "/home"));

        // Never two at once: the slot made by the first thread serves the others, window after window.
        for (var window = 0; window < 3; window++)
        {
            foreach (var stripe in new[] { 1, 6, 3 })
            {
                StripeThreads.RunInStripe(stripe, () => series.Send(stripe));
            }

            _time.AdvanceToSeconds(window + 1);
        }

        series.IsStriped.Should().BeFalse("no two threads ever met at the slot");
        var tags = Tags.Of(("route", "/home"));
        sink.Elements.Should().Equal(Enumerable.Range(0, 3).SelectMany(_ => new[] { new MElement("n.sum", 10, tags), new MElement("n.count", 3, tags) }));
    }

    [Fact]
    public void A_send_that_finds_the_shared_slot_s_stripe_held_uses_its_own_stripe_without_waiting()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = Second });
        var series = mc.Series("n", ("route", "/home"));
        StripeThreads.RunInStripe(2, () => series.Send(1));
        var held = series.SharedStripe;
        held.Should().NotBeNull();

        // Another thread holds the shared slot's stripe (as a send of any series there would) while
        // a thread of stripe 5 sends: it must not wait for it.
        held!.Enter();
        try
        {
            var sender = StripeThreads.InStripe(5, () => series.Send(2));
            sender.Start();
            sender.Join(TimeSpan.FromSeconds(10)).Should().BeTrue("the send takes its own stripe instead of waiting");
        }
        finally
        {
            held.Exit();
        }

        series.IsStriped.Should().BeTrue();
        mc.Stream("n").IsStriped.Should().BeTrue("the stream's other sends stripe too");
        series.Send(4);
        _time.AdvanceToSeconds(1);

        var tags = Tags.Of(("route", "/home"));
        sink.Elements.Should().Equal(new MElement("n.sum", 7, tags), new MElement("n.count", 3, tags));
    }
}
