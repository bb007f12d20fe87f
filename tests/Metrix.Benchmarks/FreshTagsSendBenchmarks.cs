using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry.Metrics;

namespace Metrix.Benchmarks;

/// <summary>
/// Workload D: the README example's style, a new tag dictionary per send (16 tag sets of 2 tags).
/// The caller's allocation is part of what is measured; Metrix must not add copies of its own.
/// OpenTelemetry gets its tags in its own idiom, a new <see cref="TagList"/> per call.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class FreshTagsSendBenchmarks
{
    private static readonly string[] Routes = ["/r0", "/r1", "/r2", "/r3"];
    private static readonly string[] Statuses = ["200", "201", "202", "203"];
    private MCoordinator _metrix = null!;
    private MeterProvider _otelProvider = null!;
    private Meter _meter = null!;
    private Counter<double> _otelCounter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrix = Workload.Coordinator(Workload.SumAndCount("requests"));
        (_otelProvider, _meter) = Workload.OpenTelemetry("bench.fresh");
        _otelCounter = _meter.CreateCounter<double>("requests");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrix.Dispose();
        _otelProvider.Dispose();
        _meter.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "D: OpenTelemetry Add(v, new TagList)")]
    public void OpenTelemetry()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _otelCounter.Add(Workload.Value(i), new TagList { { "route", Routes[i & 3] }, { "status", Statuses[(i >> 2) & 3] } });
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "D: Metrix Send(v, new Dictionary)")]
    public void Metrix()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _metrix.Send("requests", Workload.Value(i), new Dictionary<string, string> { ["route"] = Routes[i & 3], ["status"] = Statuses[(i >> 2) & 3] });
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "D: the new Dictionary alone")]
    public Dictionary<string, string> DictionaryOnly()
    {
        Dictionary<string, string> last = null!;
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            last = new Dictionary<string, string> { ["route"] = Routes[i & 3], ["status"] = Statuses[(i >> 2) & 3] };
        }

        return last;
    }
}
