using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry.Metrics;

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
    private MeterProvider _otelProvider = null!;
    private Meter _meter = null!;
    private Counter<double>[] _otelCounters = null!;
    private static readonly string[] Names = ["m0", "m1", "m2", "m3"];

    [GlobalSetup]
    public void Setup()
    {
        _metrix = Workload.Coordinator([.. Names.Select(name => Workload.SumAndCount(name))]);
        (_otelProvider, _meter) = Workload.OpenTelemetry("bench.concurrent");
        _otelCounters = [.. Names.Select(name => _meter.CreateCounter<double>(name))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrix.Dispose();
        _otelProvider.Dispose();
        _meter.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: OpenTelemetry, 4 threads, 1 metric")]
    public void OpenTelemetryOneMetric() => OnThreads(_ => OtelLoop(_otelCounters[0]));

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: Metrix, 4 threads, 1 metric")]
    public void MetrixOneMetric() => OnThreads(_ => MetrixLoop(Names[0]));

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: OpenTelemetry, 4 threads, 4 metrics")]
    public void OpenTelemetryFourMetrics() => OnThreads(t => OtelLoop(_otelCounters[t]));

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "E: Metrix, 4 threads, 4 metrics")]
    public void MetrixFourMetrics() => OnThreads(t => MetrixLoop(Names[t]));

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

    private static void OnThreads(Action<int> work) =>
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, work);
}
