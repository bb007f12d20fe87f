using System.Reactive.Concurrency;

namespace Metrix.Benchmarks;

/// <summary>The shared data of every workload: 16 tag sets of 2 tags, and the peers' setups.</summary>
internal static class Workload
{
    /// <summary>Sends per benchmark invocation; the results are per send.</summary>
    public const int SendsPerInvoke = 16 * 1024;

    public const int TagSetCount = 16;

    /// <summary>The tags' values as strings the caller holds, for workloads that build tags at the call: tag set i is (Routes[i &amp; 3], Statuses[(i &gt;&gt; 2) &amp; 3]).</summary>
    public static readonly string[] Routes = ["/r0", "/r1", "/r2", "/r3"];

    public static readonly string[] Statuses = ["200", "201", "202", "203"];

    /// <summary>The tag sets as a caller would keep them: one dictionary each, reused.</summary>
    public static readonly Dictionary<string, string>[] TagDictionaries =
        [.. Enumerable.Range(0, TagSetCount).Select(i => new Dictionary<string, string> { ["route"] = $"/r{i % 4}", ["status"] = $"{200 + (i / 4)}" })];

    /// <summary>The same tags as OpenTelemetry takes them.</summary>
    public static readonly (KeyValuePair<string, object?> Route, KeyValuePair<string, object?> Status)[] OtelTags =
        [.. TagDictionaries.Select(d => (new KeyValuePair<string, object?>("route", d["route"]), new KeyValuePair<string, object?>("status", d["status"])))];

    public static double Value(int i) => (i & 127) + 0.5;

    /// <summary>A latency-like value: mostly 1–64 ms, one in 128 a slow tail up to ~1 s.</summary>
    public static double Latency(int i) => (i & 127) == 127 ? 250 + ((i >> 7) & 1023) * 0.75 : 1 + ((i * 37) & 63);

    /// <summary>A coordinator whose windows never close during a run (virtual time is never advanced).</summary>
    public static MCoordinator Coordinator(params MStream[] streams)
    {
        var mc = new MCoordinator { Scheduler = new HistoricalScheduler(), MSinks = { new NullSink() } };
        foreach (var stream in streams)
        {
            mc.AddMStream(stream);
        }

        return mc;
    }

    public static MStream SumAndCount(string name, int? batchSize = null) => batchSize is { } size
        ? new MStream(name) { Agg = { MAgg.Sum, MAgg.Count }, BatchSize = size }
        : new MStream(name) { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromHours(1) };

    private sealed class NullSink : IMSink
    {
        public void Emit(MElement element)
        {
        }
    }
}
