using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>
/// What a window holds is state per tag set, not per element. Measured with the runtime's
/// allocation counter for this thread, which is exact and does not depend on timing.
/// </summary>
public sealed class MemoryTests
{
    private const int Sends = 5_000_000;

    [Fact]
    public void Five_million_sends_in_one_window_with_decomposable_aggregations_allocate_less_than_32_MiB()
    {
        var time = new HistoricalSchedulerFixture();
        var sink = new CollectingSink();
        using var mc = time.Coordinator(sink, new MStream("n")
        {
            Agg = { MAgg.Sum, MAgg.Count, MAgg.Min, MAgg.Max, MAgg.Mean, MAgg.Variance, MAgg.StdDev, MAgg.First, MAgg.Last },
            WindowSize = TimeSpan.FromHours(1),
        });
        Dictionary<string, string>[] tagSets = [.. Enumerable.Range(0, 16).Select(i => Tags.Of(("route", $"/r{i % 4}"), ("status", $"{200 + (i / 4)}")))];

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Sends; i++)
        {
            mc.Send("n", i & 127, tagSets[i & 15]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(32L * 1024 * 1024, "a window keeps O(1) state per tag set");
        time.AdvanceToSeconds(3600);
        sink.Elements.Where(e => e.Name == "n.count").Sum(e => e.Value).Should().Be(Sends);
    }

    [Fact]
    public void A_send_with_reused_tag_dictionaries_allocates_nothing_once_its_tag_sets_are_known()
    {
        var time = new HistoricalSchedulerFixture();
        using var mc = time.Coordinator(new CollectingSink(), new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromHours(1) });
        var tags = Tags.Of(("route", "/home"), ("status", "200"));
        mc.Send("n", 1, tags);
        mc.Send("n", 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            mc.Send("n", i, tags);
            mc.Send("n", i);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void A_send_with_tuple_tags_allocates_nothing_once_its_tag_sets_are_known()
    {
        var time = new HistoricalSchedulerFixture();
        using var mc = time.Coordinator(new CollectingSink(), new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromHours(1) });
        string[] routes = ["/home", "/about", "/news", "/sports"];
        foreach (var route in routes)
        {
            mc.Send("n", 1, ("route", route), ("status", "200"));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            mc.Send("n", i, ("route", routes[i & 3]), ("status", "200"));
            mc.Send("n", i, ("status", "200"), ("route", routes[i & 3]));
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void A_bound_series_allocates_nothing_per_send()
    {
        var time = new HistoricalSchedulerFixture();
        var sink = new CollectingSink();
        using var mc = time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromHours(1) });
        var home = mc.Series("n", ("route", "/home"));
        home.Send(0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            home.Send(1);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        time.AdvanceToSeconds(3600);
        sink.Elements.Should().Contain(new MElement("n.count", 100_001, Tags.Of(("route", "/home"))));
    }
}
