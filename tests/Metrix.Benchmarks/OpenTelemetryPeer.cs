using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Metrix.Benchmarks;

/// <summary>The OpenTelemetry SDK peer: a meter whose counters aggregate (sum per tag set) and export to memory.</summary>
internal sealed class OpenTelemetryPeer : IDisposable
{
    private readonly Meter _meter;
    private readonly MeterProvider _provider;

    public OpenTelemetryPeer(string meterName)
    {
        _meter = new Meter(meterName);
        _provider = Sdk.CreateMeterProviderBuilder().AddMeter(meterName).AddInMemoryExporter(new List<Metric>()).Build()!;
    }

    public Counter<double> Counter(string name) => _meter.CreateCounter<double>(name);

    public Histogram<double> Histogram(string name) => _meter.CreateHistogram<double>(name);

    public void Dispose()
    {
        _provider.Dispose();
        _meter.Dispose();
    }
}
