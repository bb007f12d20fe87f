using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace Metrix.Benchmarks;

/// <summary>
/// Workload H: latencies with a tail. One metric, 16 tag sets of 2 tags (reused), sum + count + a
/// bounded 99th percentile (1 % relative error) per tag set; OpenTelemetry records the same values
/// into a histogram (its default explicit buckets), its way of answering percentiles.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class PercentileSendBenchmarks
{
    private MCoordinator _metrix = null!;
    private OpenTelemetryPeer _otel = null!;
    private Histogram<double> _otelHistogram = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrix = Workload.Coordinator(new MStream("latency")
        {
            Agg = { MAgg.Sum, MAgg.Count, MAgg.Percentile(99, 0.01) },
            WindowSize = TimeSpan.FromHours(1),
        });
        _otel = new OpenTelemetryPeer("bench.percentile");
        _otelHistogram = _otel.Histogram("latency");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrix.Dispose();
        _otel.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.SendsPerInvoke, Description = "H: OpenTelemetry Histogram.Record(v, tag, tag)")]
    public void OpenTelemetry()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            var (route, status) = Workload.OtelTags[i & 15];
            _otelHistogram.Record(Workload.Latency(i), route, status);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.SendsPerInvoke, Description = "H: Metrix Send, sum + count + p99 (1 %)")]
    public void Metrix()
    {
        for (var i = 0; i < Workload.SendsPerInvoke; i++)
        {
            _metrix.Send("latency", Workload.Latency(i), Workload.TagDictionaries[i & 15]);
        }
    }
}
