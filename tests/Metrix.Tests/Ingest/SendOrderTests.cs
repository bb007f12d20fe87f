using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>
/// "Earlier" means earlier in time: a send that returned before another began comes first in
/// First, Last, the values a custom function receives and group order, whichever threads (and so
/// stripes) the two went through. The threads are picked so that the later send goes through a
/// lower stripe, which a merge in stripe order would put first; each stream stripes by sender from
/// the start (a stream's senders share its first stripe until two of them meet).
/// </summary>
public sealed class SendOrderTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    public static TheoryData<int, int> StripePairs => new() { { 7, 0 }, { 5, 2 }, { 1, 0 } };

    [Theory]
    [MemberData(nameof(StripePairs))]
    public void A_later_send_from_a_lower_stripe_is_still_last(int earlierStripe, int laterStripe)
    {
        var sink = new CollectingSink();
        var values = Recording("values", out var received);
        using var mc = _time.Coordinator(sink, new MStream("gauge")
        {
            Agg = { MAgg.First, MAgg.Last, values },
            WindowSize = TimeSpan.FromSeconds(1),
        });
        mc.Stream("gauge").StripeBySender();

        StripeThreads.RunInStripe(earlierStripe, () => mc.Send("gauge", 100));
        StripeThreads.RunInStripe(laterStripe, () => mc.Send("gauge", 200));
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("gauge.first", 100),
            new MElement("gauge.last", 200),
            new MElement("gauge.values", 2));
        received.Should().ContainSingle().Which.Should().Equal(100, 200);
    }

    [Theory]
    [MemberData(nameof(StripePairs))]
    public void Groups_come_out_in_the_time_order_of_their_first_sends_across_stripes(int earlierStripe, int laterStripe)
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });
        mc.Stream("n").StripeBySender();

        StripeThreads.RunInStripe(earlierStripe, () => mc.Send("n", 1, Tags.Of(("route", "/first"))));
        StripeThreads.RunInStripe(laterStripe, () =>
        {
            mc.Send("n", 2, Tags.Of(("route", "/second")));
            mc.Send("n", 3, Tags.Of(("route", "/first")));
        });
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("n.sum", 4, Tags.Of(("route", "/first"))),
            new MElement("n.sum", 2, Tags.Of(("route", "/second"))));
    }

    [Fact]
    public void Sends_taking_turns_on_threads_of_every_stripe_keep_their_time_order_in_a_window()
    {
        const int Turns = 4_000;
        var sink = new CollectingSink();
        var values = Recording("values", out var received);
        using var mc = _time.Coordinator(sink, new MStream("n")
        {
            Agg = { MAgg.First, MAgg.Last, values },
            WindowSize = TimeSpan.FromSeconds(1),
        });
        mc.Stream("n").StripeBySender();

        // One thread per stripe; a shared turn counter makes the sends strictly one after another
        // in time, in an order no stripe order matches: turn t goes to stripe (t * 5) % 8.
        var turn = 0;
        var threads = Enumerable.Range(0, StripeThreads.Stripes).Select(stripe => StripeThreads.InStripe(stripe, () =>
        {
            while (true)
            {
                var t = Volatile.Read(ref turn);
                if (t >= Turns)
                {
                    return;
                }

                if ((t * 5) % StripeThreads.Stripes == stripe)
                {
                    mc.Send("n", t, t % 3 == 0 ? null : Tags.Of(("mod", $"{t % 3}")));
                    Volatile.Write(ref turn, t + 1);
                }
                else
                {
                    Thread.Yield();
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        _time.AdvanceToSeconds(1);

        var groups = Enumerable.Range(0, 3).Select(mod => Enumerable.Range(0, Turns).Where(t => t % 3 == mod).Select(t => (double)t).ToList()).ToList();
        sink.Elements.Where(e => e.Name == "n.first").Select(e => e.Value).Should().Equal(0, 1, 2);
        sink.Elements.Where(e => e.Name == "n.last").Select(e => e.Value).Should().Equal(groups.Select(g => g[^1]));
        received.Should().HaveCount(3);
        for (var mod = 0; mod < 3; mod++)
        {
            received[mod].Should().Equal(groups[mod], $"the values of group {mod} in the order they were sent");
        }
    }

    /// <summary>A custom aggregation that records the values it receives, in the order it receives them.</summary>
    private static MAgg Recording(string name, out List<IReadOnlyList<double>> received)
    {
        var calls = new List<IReadOnlyList<double>>();
        received = calls;
        return new MAgg(name, v =>
        {
            calls.Add([.. v]);
            return v.Count;
        });
    }
}
