using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Prometheus;

namespace Metrix.Benchmarks;

/// <summary>
/// Workload T: the idiom the README teaches, tags written at the call (16 tag sets of 2 tags, from
/// the same strings as every other workload). Metrix takes them as tuples; OpenTelemetry as
/// <c>Add(v, tag, tag)</c> and as a <see cref="TagList"/>; prometheus-net as <c>WithLabels</c>.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class TupleTagsSendBenchmarks
{
    private MCoordinator _metrix = null!;
    private OpenTelemetryPeer _otel = null!;
    private Counter<double> _otelCounter = null!;
    private Prometheus.Counter _promCounter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrix = Workload.Coordinator(Workload.SumAndCount("requests"));
        _otel = new OpenTelemetryPeer("bench.tuples");
        _otelCounter = _otel.Counter("requests");
        _promCounter = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()).CreateCounter("requests", "requests", "route", "status");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrix.Dispose();
        _otel.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "T: OpenTelemetry Add(v, new(k, v), new(k, v))")]
    public void OpenTelemetry()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _otelCounter.Add(Workload.Value(i), new("route", Workload.Routes[i & 3]), new("status", Workload.Statuses[(i >> 2) & 3]));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "T: OpenTelemetry Add(v, new TagList)")]
    public void OpenTelemetryTagList()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _otelCounter.Add(Workload.Value(i), new TagList { { "route", Workload.Routes[i & 3] }, { "status", Workload.Statuses[(i >> 2) & 3] } });
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "T: Metrix Send(v, (k, v), (k, v))")]
    public void Metrix()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _metrix.Send("requests", Workload.Value(i), ("route", Workload.Routes[i & 3]), ("status", Workload.Statuses[(i >> 2) & 3]));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "T: prometheus-net WithLabels(k, v).Inc")]
    public void Prometheus()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _promCounter.WithLabels(Workload.Routes[i & 3], Workload.Statuses[(i >> 2) & 3]).Inc(Workload.Value(i));
        }
    }
}
