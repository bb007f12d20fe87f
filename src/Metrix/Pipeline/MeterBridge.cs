using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Metrix.Pipeline;

/// <summary>
/// Feeds the measurements of matching <see cref="Instrument"/>s (System.Diagnostics.Metrics) into a
/// coordinator: each becomes a <c>Send(instrument name, value, tags)</c> to the stream of that name.
/// </summary>
/// <remarks>
/// The callback runs on the thread that recorded the measurement, so it must never throw into the
/// instrumented code: a measurement without a stream, or one Metrix refuses (a NaN, say), is
/// counted and logged once per instrument instead. Tags go through one reused dictionary per
/// thread, so a known tag set costs no allocation.
/// </remarks>
internal sealed class MeterBridge : IDisposable
{
    [ThreadStatic]
    private static Dictionary<string, string>? t_tags;

    private readonly MCoordinator _coordinator;
    private readonly PipelineDiagnostics _diagnostics;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, byte> _unrouted = new();
    private readonly ConcurrentDictionary<Instrument, byte> _rejected = new();

    public MeterBridge(MCoordinator coordinator, PipelineDiagnostics diagnostics, Func<Instrument, bool> predicate)
    {
        _coordinator = coordinator;
        _diagnostics = diagnostics;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (predicate(instrument))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Forward(instrument, value, tags));
        _listener.SetMeasurementEventCallback<float>((instrument, value, tags, _) => Forward(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Forward(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Forward(instrument, value, tags));
        _listener.SetMeasurementEventCallback<short>((instrument, value, tags, _) => Forward(instrument, value, tags));
        _listener.SetMeasurementEventCallback<byte>((instrument, value, tags, _) => Forward(instrument, value, tags));
        _listener.SetMeasurementEventCallback<decimal>((instrument, value, tags, _) => Forward(instrument, (double)value, tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void Forward(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_coordinator.HasStream(instrument.Name))
        {
            // Keyed by the instrument itself: nothing is allocated per measurement, only the first time.
            _diagnostics.UnroutedMeasurement(instrument.Meter.Name, instrument.Name, first: _unrouted.TryAdd(instrument, 0));
            return;
        }

        var dictionary = t_tags ??= new Dictionary<string, string>(StringComparer.Ordinal);
        dictionary.Clear();
        foreach (var (key, tagValue) in tags)
        {
            // A tag without a value carries nothing Metrix can group by.
            if (!string.IsNullOrEmpty(key) && tagValue is not null)
            {
                dictionary[key] = Convert.ToString(tagValue, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        try
        {
            _coordinator.Send(instrument.Name, value, dictionary);
        }
        catch (ArgumentException)
        {
            _diagnostics.RejectedMeasurement(instrument.Meter.Name, instrument.Name, first: _rejected.TryAdd(instrument, 0));
        }
        catch (ObjectDisposedException)
        {
            // The coordinator is shutting down and stops this listener; nothing to forward to.
        }
    }
}
