using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Prometheus;

namespace Metrix.Benchmarks;

/// <summary>Workload C: one metric, no tags, sum and count over one long window.</summary>
[Config(typeof(BenchmarkConfig))]
public class UntaggedSendBenchmarks
{
    private MCoordinator _metrix = null!;
    private OpenTelemetryPeer _otel = null!;
    private Counter<double> _otelCounter = null!;
    private Prometheus.Counter _promCounter = null!;
    private double _handSum;
    private long _handCount;

    [GlobalSetup]
    public void Setup()
    {
        _metrix = Workload.Coordinator(Workload.SumAndCount("requests"));
        _otel = new OpenTelemetryPeer("bench.untagged");
        _otelCounter = _otel.Counter("requests");
        _promCounter = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()).CreateCounter("requests", "requests");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrix.Dispose();
        _otel.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "C: OpenTelemetry Counter.Add(v)")]
    public void OpenTelemetry()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _otelCounter.Add(Workload.Value(i));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "C: Metrix Send(name, v)")]
    public void Metrix()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _metrix.Send("requests", Workload.Value(i));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "C: prometheus-net Inc")]
    public void Prometheus()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _promCounter.Inc(Workload.Value(i));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "C: hand-written loop")]
    public void HandWritten()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _handSum += Workload.Value(i);
            _handCount++;
        }
    }
}
