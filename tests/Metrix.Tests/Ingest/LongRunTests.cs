using System.Globalization;
using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>
/// A process that runs for weeks, compressed: hundreds of windows of tag sets never seen before.
/// The heap after them is the heap before them.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class LongRunTests
{
    [Fact]
    public void The_heap_stays_flat_over_hundreds_of_windows_of_new_tag_sets()
    {
        var time = new HistoricalSchedulerFixture();
        var sink = new CountingSink("user");
        using var mc = time.Coordinator(sink, new MStream("n")
        {
            Agg = { MAgg.Sum, MAgg.Count, MAgg.Last, MAgg.Percentile(99, 0.01) },
            WindowSize = TimeSpan.FromSeconds(1),
            MaxTagSets = 100,
        });
        long heapAfterWarmUp = 0;

        for (var window = 0; window < 400; window++)
        {
            for (var i = 0; i < 40; i++)
            {
                var user = string.Create(CultureInfo.InvariantCulture, $"user-{window}-{i}");
                mc.Send("n", i, new Dictionary<string, string> { ["user"] = user });
            }

            time.AdvanceToSeconds(window + 1);
            if (window == 99)
            {
                heapAfterWarmUp = SettledHeap();
            }
        }

        var growth = SettledHeap() - heapAfterWarmUp;
        sink.WithoutTag.Should().Be(0);
        sink.Count.Should().Be(400 * 40 * 4);
        growth.Should().BeLessThan(64 * 1024, "300 more windows of 40 new users each (12,000 tag sets) leave nothing behind");
    }

    private static long SettledHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
