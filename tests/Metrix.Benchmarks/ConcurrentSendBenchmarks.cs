using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Prometheus;

namespace Metrix.Benchmarks;

/// <summary>
/// Workload E: 4 producer threads, tagged sends (16 tag sets, reused dictionaries), on one metric
/// and on 4 metrics; per send, over all threads. Compare with workload A's single-thread figure.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class ConcurrentSendBenchmarks
{
    private const int Threads = 4;
    private MCoordinator _metrix = null!;
    private OpenTelemetryPeer _otel = null!;
    private Counter<double>[] _otelCounters = null!;
    private Prometheus.Counter.Child[][] _promChildren = null!;
    private Dictionary<(string, string), int> _handIndex = null!;
    private long[][] _handCounts = null!;
    private static readonly string[] Names = ["m0", "m1", "m2", "m3"];

    [GlobalSetup]
    public void Setup()
    {
        _metrix = Workload.Coordinator([.. Names.Select(name => Workload.SumAndCount(name))]);
        _otel = new OpenTelemetryPeer("bench.concurrent");
        _otelCounters = [.. Names.Select(name => _otel.Counter(name))];
        var prometheus = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());
        _promChildren = [.. Names.Select(name =>
        {
            var counter = prometheus.CreateCounter(name, name, "route", "status");
            return Workload.TagDictionaries.Select(d => counter.WithLabels(d["route"], d["status"])).ToArray();
        })];
        _handIndex = Workload.TagDictionaries.Select((d, i) => ((d["route"], d["status"]), i)).ToDictionary(p => p.Item1, p => p.i);
        _handCounts = [.. Names.Select(_ => new long[Workload.TagSetCount])];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrix.Dispose();
        _otel.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: OpenTelemetry, 4 threads, 1 metric")]
    public void OpenTelemetryOneMetric() => OnThreads(_ => OtelLoop(_otelCounters[0]));

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: Metrix, 4 threads, 1 metric")]
    public void MetrixOneMetric() => OnThreads(_ => MetrixLoop(Names[0]));

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: OpenTelemetry, 4 threads, 4 metrics")]
    public void OpenTelemetryFourMetrics() => OnThreads(t => OtelLoop(_otelCounters[t]));

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: Metrix, 4 threads, 4 metrics")]
    public void MetrixFourMetrics() => OnThreads(t => MetrixLoop(Names[t]));

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: prometheus-net pre-bound, 4 threads, 1 metric")]
    public void PrometheusOneMetric() => OnThreads(_ => PrometheusLoop(_promChildren[0]));

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: hand-written Interlocked, 4 threads, 1 metric")]
    public void HandWrittenOneMetric() => OnThreads(_ => HandLoop(_handCounts[0]));

    private void MetrixLoop(string name)
    {
        for (var i = 0; i < Workload.SendsPerInvoke / Threads; i++)
        {
            _metrix.Send(name, Workload.Value(i), Workload.TagDictionaries[i & 15]);
        }
    }

    private static void OtelLoop(Counter<double> counter)
    {
        for (var i = 0; i < Workload.SendsPerInvoke / Threads; i++)
        {
            var (route, status) = Workload.OtelTags[i & 15];
            counter.Add(Workload.Value(i), route, status);
        }
    }

    private static void PrometheusLoop(Prometheus.Counter.Child[] children)
    {
        for (var i = 0; i < Workload.SendsPerInvoke / Threads; i++)
        {
            children[i & 15].Inc(Workload.Value(i));
        }
    }

    /// <summary>Shared counts need atomic updates once threads share them.</summary>
    private void HandLoop(long[] counts)
    {
        for (var i = 0; i < Workload.SendsPerInvoke / Threads; i++)
        {
            var tags = Workload.TagDictionaries[i & 15];
            Interlocked.Increment(ref counts[_handIndex[(tags["route"], tags["status"])]]);
        }
    }

    private static void OnThreads(Action<int> work) =>
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, work);
}
