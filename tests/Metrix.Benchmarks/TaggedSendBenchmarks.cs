using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Prometheus;

namespace Metrix.Benchmarks;

/// <summary>
/// Workload A (one long window) and B (batches of 10,000): one metric, 16 tag sets of 2 tags that
/// the caller reuses, sum and count per tag set.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class TaggedSendBenchmarks
{
    private MCoordinator _windowed = null!;
    private MCoordinator _batched = null!;
    private OpenTelemetryPeer _otel = null!;
    private Counter<double> _otelCounter = null!;
    private Prometheus.Counter.Child[] _promChildren = null!;
    private Dictionary<(string, string), int> _handIndex = null!;
    private double[] _handSums = null!;
    private long[] _handCounts = null!;

    [GlobalSetup]
    public void Setup()
    {
        _windowed = Workload.Coordinator(Workload.SumAndCount("requests"));
        _batched = Workload.Coordinator(Workload.SumAndCount("requests", batchSize: 10_000));
        _otel = new OpenTelemetryPeer("bench.tagged");
        _otelCounter = _otel.Counter("requests");
        var registry = Metrics.NewCustomRegistry();
        var promCounter = Metrics.WithCustomRegistry(registry).CreateCounter("requests", "requests", "route", "status");
        _promChildren = [.. Workload.TagDictionaries.Select(d => promCounter.WithLabels(d["route"], d["status"]))];
        _handIndex = Workload.TagDictionaries.Select((d, i) => ((d["route"], d["status"]), i)).ToDictionary(p => p.Item1, p => p.i);
        _handSums = new double[Workload.TagSetCount];
        _handCounts = new long[Workload.TagSetCount];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _windowed.Dispose();
        _batched.Dispose();
        _otel.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "A: OpenTelemetry Counter.Add(v, tag, tag)")]
    public void OpenTelemetry()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            var (route, status) = Workload.OtelTags[i & 15];
            _otelCounter.Add(Workload.Value(i), route, status);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "A: Metrix Send, 1 h window")]
    public void MetrixWindow()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _windowed.Send("requests", Workload.Value(i), Workload.TagDictionaries[i & 15]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "B: Metrix Send, BatchSize 10,000")]
    public void MetrixBatch()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _batched.Send("requests", Workload.Value(i), Workload.TagDictionaries[i & 15]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "A: prometheus-net pre-bound Inc")]
    public void Prometheus()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _promChildren[i & 15].Inc(Workload.Value(i));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "A: hand-written Dictionary loop")]
    public void HandWritten()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            var tags = Workload.TagDictionaries[i & 15];
            var slot = _handIndex[(tags["route"], tags["status"])];
            _handSums[slot] += Workload.Value(i);
            _handCounts[slot]++;
        }
    }
}
