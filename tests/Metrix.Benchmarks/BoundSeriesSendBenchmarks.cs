using BenchmarkDotNet.Attributes;
using Prometheus;

namespace Metrix.Benchmarks;

/// <summary>
/// Workload S: the tag set bound once, before the loop (16 tag sets of 2 tags). Metrix's
/// <see cref="MSeries"/> (sum and count per window) against a prometheus-net labelled child (a sum),
/// and the hand-written loop (two arrays indexed by the series, not thread-safe).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class BoundSeriesSendBenchmarks
{
    private MCoordinator _metrix = null!;
    private MSeries[] _series = null!;
    private Prometheus.Counter.Child[] _promChildren = null!;
    private double[] _handSums = null!;
    private long[] _handCounts = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrix = Workload.Coordinator(Workload.SumAndCount("requests"));
        _series = [.. Workload.TagDictionaries.Select(d => _metrix.Series("requests", ("route", d["route"]), ("status", d["status"])))];
        var promCounter = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()).CreateCounter("requests", "requests", "route", "status");
        _promChildren = [.. Workload.TagDictionaries.Select(d => promCounter.WithLabels(d["route"], d["status"]))];
        _handSums = new double[Workload.TagSetCount];
        _handCounts = new long[Workload.TagSetCount];
    }

    [GlobalCleanup]
    public void Cleanup() => _metrix.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "S: prometheus-net labelled child Inc")]
    public void Prometheus()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _promChildren[i & 15].Inc(Workload.Value(i));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "S: Metrix MSeries.Send")]
    public void Metrix()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _series[i & 15].Send(Workload.Value(i));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "S: hand-written arrays")]
    public void HandWritten()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _handSums[i & 15] += Workload.Value(i);
            _handCounts[i & 15]++;
        }
    }
}
