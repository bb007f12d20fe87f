using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>
/// A windowed stream's senders share its first stripe until two of them meet at it (a send finds
/// it held); from then on each uses its own thread's stripe, for good. Either way every value
/// counts once, in its window.
/// </summary>
public sealed class StripeChoiceTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void Senders_on_threads_of_different_stripes_taking_turns_share_the_first_stripe()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });

        foreach (var stripe in new[] { 3, 6, 1 })
        {
            StripeThreads.RunInStripe(stripe, () => mc.Send("n", stripe, ("route", "/home")));
        }

        mc.Stream("n").IsStriped.Should().BeFalse("no two senders ever met");
        mc.Stream("n").StripeAt(0).Count.Should().Be(3, "all three went through the first stripe");
        _time.AdvanceToSeconds(1);

        var tags = Tags.Of(("route", "/home"));
        sink.Elements.Should().Equal(new MElement("n.sum", 10, tags), new MElement("n.count", 3, tags));
    }

    [Fact]
    public void A_send_that_finds_the_first_stripe_held_takes_its_own_stripe_without_waiting_and_the_stream_stripes_from_then_on()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });
        mc.Send("n", 1, ("route", "/home"));
        var first = mc.Stream("n").StripeAt(0);

        // This thread holds the first stripe, as a send in progress there would.
        first.Enter();
        try
        {
            var sender = StripeThreads.InStripe(5, () => mc.Send("n", 2, ("route", "/home")));
            sender.Start();
            sender.Join(TimeSpan.FromSeconds(10)).Should().BeTrue("the send takes its own stripe instead of waiting");
        }
        finally
        {
            first.Exit();
        }

        mc.Stream("n").IsStriped.Should().BeTrue();
        StripeThreads.RunInStripe(6, () => mc.Send("n", 4, ("route", "/home")));
        _time.AdvanceToSeconds(1);

        var tags = Tags.Of(("route", "/home"));
        sink.Elements.Should().Equal(new MElement("n.sum", 7, tags), new MElement("n.count", 3, tags));
    }

    [Fact]
    public void A_stream_of_batches_by_count_keeps_its_single_stripe()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 2 });

        mc.Stream("n").StripeBySender();
        StripeThreads.RunInStripe(5, () => mc.Send("n", 1));
        StripeThreads.RunInStripe(2, () => mc.Send("n", 2));
        _time.Tick();

        mc.Stream("n").IsStriped.Should().BeFalse("every n successive elements need one order");
        sink.Elements.Should().Equal(new MElement("n.sum", 3));
    }
}
