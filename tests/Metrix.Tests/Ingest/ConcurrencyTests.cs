using System.Globalization;
using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>Send from many threads at once: nothing lost, nothing counted twice.</summary>
public sealed class ConcurrencyTests
{
    private const int Threads = 4;
    private const int SendsPerThread = 50_000;

    [Fact]
    public void Four_threads_sending_to_one_windowed_metric_give_exact_totals()
    {
        var time = new HistoricalSchedulerFixture();
        var sink = new CollectingSink();
        using var mc = time.Coordinator(sink, new MStream("n")
        {
            Agg = { MAgg.Sum, MAgg.Count },
            WindowSize = TimeSpan.FromSeconds(1),
        });
        IReadOnlyDictionary<string, string>[] tagSets = [.. Enumerable.Range(0, 4).Select(i => Tags.Of(("t", $"{i}")))];

        RunConcurrently(thread =>
        {
            for (var i = 0; i < SendsPerThread; i++)
            {
                mc.Send("n", 1, tagSets[(thread + i) % tagSets.Length]);
            }
        });
        time.AdvanceToSeconds(1);

        var sums = sink.Elements.Where(e => e.Name == "n.sum").ToList();
        sums.Should().HaveCount(4);
        sums.Sum(e => e.Value).Should().Be(Threads * SendsPerThread);
        sums.Should().OnlyContain(e => e.Value == Threads * SendsPerThread / 4);
        sink.Elements.Where(e => e.Name == "n.count").Sum(e => e.Value).Should().Be(Threads * SendsPerThread);
    }

    [Fact]
    public void Four_threads_sharing_a_window_give_the_aggregates_of_all_their_values()
    {
        var time = new HistoricalSchedulerFixture();
        var sink = new CollectingSink();
        MAgg[] aggs = [MAgg.Sum, MAgg.Count, MAgg.Min, MAgg.Max, MAgg.Mean, MAgg.Variance, MAgg.Median, MAgg.Percentile(90, 0.01)];
        var stream = new MStream("n") { WindowSize = TimeSpan.FromSeconds(1) };
        foreach (var agg in aggs)
        {
            stream.Agg.Add(agg);
        }

        using var mc = time.Coordinator(sink, stream);

        // Each thread sends its own values (integers, so any order sums exactly) to two tag sets.
        RunConcurrently(thread =>
        {
            for (var i = 0; i < SendsPerThread / 10; i++)
            {
                mc.Send("n", (thread * 100_000) + i, Tags.Of(("parity", (i % 2).ToString(CultureInfo.InvariantCulture))));
            }
        });
        time.AdvanceToSeconds(1);

        foreach (var parity in new[] { "0", "1" })
        {
            var values = Enumerable.Range(0, Threads)
                .SelectMany(t => Enumerable.Range(0, SendsPerThread / 10).Where(i => $"{i % 2}" == parity).Select(i => (double)((t * 100_000) + i)))
                .ToList();
            foreach (var agg in aggs)
            {
                var actual = sink.Elements.Single(e => e.Name == "n." + agg.Name && e.Tags!["parity"] == parity).Value;
                actual.Should().BeApproximately(agg.Func(values), Math.Abs(agg.Func(values)) * 1e-12, $"n.{agg.Name} for parity {parity}");
            }
        }
    }

    [Fact]
    public void Four_threads_sending_to_four_metrics_in_real_time_lose_nothing_by_dispose()
    {
        var sink = new CollectingSink();
        var mc = new MCoordinator { MSinks = { sink } };
        for (var m = 0; m < Threads; m++)
        {
            mc.AddMStream(m % 2 == 0
                ? new MStream($"m{m}") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromMilliseconds(5) }
                : new MStream($"m{m}") { Agg = { MAgg.Sum }, BatchSize = 997 });
        }

        RunConcurrently(thread =>
        {
            for (var i = 0; i < SendsPerThread; i++)
            {
                // Every thread writes to every metric, so batches and windows close under contention.
                mc.Send($"m{(thread + i) % Threads}", 1);
            }
        });
        mc.Dispose();

        for (var m = 0; m < Threads; m++)
        {
            sink.Elements.Where(e => e.Name == $"m{m}.sum").Sum(e => e.Value).Should().Be(SendsPerThread, $"metric m{m} received that many sends");
        }

        mc.Statistics.Dropped.Should().Be(0);
    }

    private static void RunConcurrently(Action<int> work)
    {
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            work(t);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }
}
