using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>Streams with <c>WindowSize</c>: tumbling windows on the coordinator's scheduler.</summary>
public sealed class WindowTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void A_0_4_second_window_over_ten_elements_sent_0_1_seconds_apart_emits_4_4_2()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(0.4) });

        for (var i = 0; i < 10; i++)
        {
            // Boundary case: the element at exactly 0.4 s belongs to the second window ([0.4, 0.8)).
            _time.AdvanceToSeconds(i / 10.0);
            mc.Send("foo", 1);
        }

        _time.AdvanceToSeconds(2);

        sink.Elements.Should().Equal(new MElement("foo.sum", 4), new MElement("foo.sum", 4), new MElement("foo.sum", 2));
        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0.4, 0.8, 1.2);
    }

    [Fact]
    public void Nothing_is_emitted_before_the_window_closes()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        mc.Send("foo", 1);
        _time.AdvanceToSeconds(0.999);
        sink.Elements.Should().BeEmpty();

        _time.AdvanceToSeconds(1);
        sink.Elements.Should().Equal(new MElement("foo.sum", 1));
    }

    [Fact]
    public void Empty_windows_emit_nothing()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });

        _time.AdvanceToSeconds(0.5);
        mc.Send("foo", 3);
        _time.AdvanceToSeconds(4.5);
        mc.Send("foo", 4);
        _time.AdvanceToSeconds(10);

        sink.Elements.Should().Equal(
            new MElement("foo.sum", 3), new MElement("foo.count", 1),
            new MElement("foo.sum", 4), new MElement("foo.count", 1));
        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(1, 1, 5, 5);
    }

    [Fact]
    public void Windows_are_aligned_to_when_the_coordinator_started_not_to_the_first_element()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        _time.AdvanceToSeconds(2.7);
        mc.Send("foo", 1);
        _time.AdvanceToSeconds(5);

        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(3);
    }

    [Fact]
    public void Each_window_groups_its_own_elements_by_tag_set()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        mc.Send("n", 1, Tags.Of(("s", "a")));
        mc.Send("n", 2, Tags.Of(("s", "b")));
        mc.Send("n", 3, Tags.Of(("s", "a")));
        _time.AdvanceToSeconds(1.5);
        mc.Send("n", 10, Tags.Of(("s", "b")));
        _time.AdvanceToSeconds(2);

        sink.Elements.Should().Equal(
            new MElement("n.sum", 4, Tags.Of(("s", "a"))),
            new MElement("n.sum", 2, Tags.Of(("s", "b"))),
            new MElement("n.sum", 10, Tags.Of(("s", "b"))));
    }

    [Fact]
    public void Flush_closes_the_open_window_now_and_the_next_one_keeps_the_alignment()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        mc.Send("foo", 1);
        mc.Send("foo", 2);
        _time.AdvanceToSeconds(0.3);
        mc.Flush();
        _time.AdvanceToSeconds(0.4);
        mc.Send("foo", 10);
        _time.AdvanceToSeconds(3);

        sink.Elements.Should().Equal(new MElement("foo.sum", 3), new MElement("foo.sum", 10));
        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0.3, 1);
    }

    [Fact]
    public void Flush_with_nothing_open_emits_nothing()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink,
            new MStream("w") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) },
            new MStream("b") { Agg = { MAgg.Sum }, BatchSize = 3 });

        mc.Flush();
        _time.AdvanceToSeconds(5);

        sink.Elements.Should().BeEmpty();
    }

    [Fact]
    public void Flush_closes_a_partial_batch_too()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("b") { Agg = { MAgg.Sum }, BatchSize = 3 });

        mc.Send("b", 1);
        mc.Send("b", 2);
        mc.Flush();
        mc.Send("b", 3);
        mc.Send("b", 4);
        mc.Send("b", 5);
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("b.sum", 3), new MElement("b.sum", 12));
    }

    [Fact]
    public void A_window_longer_than_the_calendar_still_collects_and_flushes()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.MaxValue });

        mc.Send("foo", 1);
        mc.Send("foo", 2);
        mc.Flush();
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("foo.sum", 3));
    }

    [Fact]
    public void A_window_longer_than_the_calendar_works_on_the_real_time_scheduler_too()
    {
        var sink = new CollectingSink();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("foo") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.MaxValue } },
            MSinks = { sink },
        };

        mc.Send("foo", 1);
        mc.Send("foo", 2);
        mc.Dispose();

        sink.Elements.Should().Equal(new MElement("foo.sum", 3));
    }

    [Fact]
    public void Dispose_mid_window_delivers_the_partial_window()
    {
        var sink = new CollectingSink(_time.Clock);
        var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromMinutes(5) });

        mc.Send("foo", 1);
        mc.Send("foo", 2);
        _time.AdvanceToSeconds(30);
        mc.Dispose();

        sink.Elements.Should().Equal(new MElement("foo.sum", 3));
        _time.NowSeconds.Should().BeLessThan(31, "dispose advances virtual time only as far as delivery needs");
    }

    [Fact]
    public void A_window_that_takes_more_than_2_pow_31_values_in_one_stripe_still_closes_once_at_its_boundary()
    {
        // 2³¹ sends take minutes, so the stripes start just below int.MaxValue values, as a busy
        // metric's would after a few minutes of a long window (10 M sends/s on one thread: 3.6 min).
        var sink = new CollectingSink(_time.Clock);
        using var mc = _time.Coordinator(sink, new MStream("busy") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromHours(1) });
        mc.Send("busy", 1);
        var stripes = (Stripe[])typeof(StreamPipeline).GetField("_stripes", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(mc.Stream("busy"))!;
        foreach (var stripe in stripes)
        {
            stripe.Count = int.MaxValue - 2;
        }

        var series = mc.Series("busy");
        for (var i = 0; i < 5; i++)
        {
            mc.Send("busy", 1);
            series.Send(1);
        }

        _time.AdvanceToSeconds(3599);
        sink.Elements.Should().BeEmpty("a window never fills up, however many values it takes");
        _time.AdvanceToSeconds(3600);
        sink.Elements.Should().Equal(new MElement("busy.sum", 11), new MElement("busy.count", 11));
    }
}
