using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Prometheus;

namespace Metrix.Benchmarks;

/// <summary>
/// Workload K: many series. One metric, 1,000 tag sets of 3 tags that the caller reuses, sum and
/// count per tag set, visited in a fixed pseudo-random order, so that no cache sees a friendly pattern.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class ManyTagSetsSendBenchmarks
{
    private const int TagSets = 1_000;
    private Dictionary<string, string>[] _dictionaries = null!;
    private (KeyValuePair<string, object?> A, KeyValuePair<string, object?> B, KeyValuePair<string, object?> C)[] _otelTags = null!;
    private int[] _order = null!;
    private MCoordinator _metrix = null!;
    private OpenTelemetryPeer _otel = null!;
    private Counter<double> _otelCounter = null!;
    private Prometheus.Counter.Child[] _promChildren = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dictionaries = [.. Enumerable.Range(0, TagSets).Select(i => new Dictionary<string, string>
        {
            ["route"] = $"/r{i % 50}",
            ["status"] = $"{200 + (i / 50 % 5)}",
            ["region"] = $"eu-{i / 250}",
        })];
        _otelTags = [.. _dictionaries.Select(d => (
            new KeyValuePair<string, object?>("route", d["route"]),
            new KeyValuePair<string, object?>("status", d["status"]),
            new KeyValuePair<string, object?>("region", d["region"])))];

        // Seeded: every run (and every peer) visits the tag sets in the same order.
        var random = new Random(42);
        _order = [.. Enumerable.Range(0, Workload.SendsPerInvoke).Select(_ => random.Next(TagSets))];
        _metrix = Workload.Coordinator(new MStream("requests") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromHours(1) });
        _otel = new OpenTelemetryPeer("bench.many");
        _otelCounter = _otel.Counter("requests");
        var counter = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()).CreateCounter("requests", "requests", "route", "status", "region");
        _promChildren = [.. _dictionaries.Select(d => counter.WithLabels(d["route"], d["status"], d["region"]))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrix.Dispose();
        _otel.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "K: OpenTelemetry Counter.Add(v, tag, tag, tag)")]
    public void OpenTelemetry()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            var (a, b, c) = _otelTags[_order[i]];
            _otelCounter.Add(Workload.Value(i), a, b, c);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "K: Metrix Send, 1,000 reused dictionaries")]
    public void Metrix()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _metrix.Send("requests", Workload.Value(i), _dictionaries[_order[i]]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "K: prometheus-net pre-bound Inc")]
    public void Prometheus()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _promChildren[_order[i]].Inc(Workload.Value(i));
        }
    }
}
