using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Prometheus;

namespace Metrix.Benchmarks;

/// <summary>
/// Workload D: the README example's style, a new tag dictionary per send (16 tag sets of 2 tags).
/// The caller's allocation is part of what is measured; Metrix must not add copies of its own.
/// OpenTelemetry gets its tags in its own idiom, a new <see cref="TagList"/> per call.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class FreshTagsSendBenchmarks
{
    private MCoordinator _metrix = null!;
    private OpenTelemetryPeer _otel = null!;
    private Counter<double> _otelCounter = null!;
    private Prometheus.Counter _promCounter = null!;
    private Dictionary<(string, string), int> _handIndex = null!;
    private double[] _handSums = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrix = Workload.Coordinator(Workload.SumAndCount("requests"));
        _otel = new OpenTelemetryPeer("bench.fresh");
        _otelCounter = _otel.Counter("requests");
        _promCounter = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()).CreateCounter("requests", "requests", "route", "status");
        _handIndex = Workload.TagDictionaries.Select((d, i) => ((d["route"], d["status"]), i)).ToDictionary(p => p.Item1, p => p.i);
        _handSums = new double[Workload.TagSetCount];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrix.Dispose();
        _otel.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "D: OpenTelemetry Add(v, new TagList)")]
    public void OpenTelemetry()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _otelCounter.Add(Workload.Value(i), new TagList { { "route", Workload.Routes[i & 3] }, { "status", Workload.Statuses[(i >> 2) & 3] } });
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "D: Metrix Send(v, new Dictionary)")]
    public void Metrix()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _metrix.Send("requests", Workload.Value(i), new Dictionary<string, string> { ["route"] = Workload.Routes[i & 3], ["status"] = Workload.Statuses[(i >> 2) & 3] });
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "D: prometheus-net WithLabels(...).Inc")]
    public void Prometheus()
    {
        // Per-send labels: the child is looked up on every call, as tags are here.
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _promCounter.WithLabels(Workload.Routes[i & 3], Workload.Statuses[(i >> 2) & 3]).Inc(Workload.Value(i));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "D: hand-written loop over a new Dictionary")]
    public void HandWritten()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            var tags = new Dictionary<string, string> { ["route"] = Workload.Routes[i & 3], ["status"] = Workload.Statuses[(i >> 2) & 3] };
            _handSums[_handIndex[(tags["route"], tags["status"])]] += Workload.Value(i);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "D: the new Dictionary alone")]
    public Dictionary<string, string> DictionaryOnly()
    {
        Dictionary<string, string> last = null!;
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            last = new Dictionary<string, string> { ["route"] = Workload.Routes[i & 3], ["status"] = Workload.Statuses[(i >> 2) & 3] };
        }

        return last;
    }
}
