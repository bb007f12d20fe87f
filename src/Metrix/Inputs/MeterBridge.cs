using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Metrix.Inputs;

/// <summary>
/// Feeds the measurements of matching <see cref="Instrument"/>s (System.Diagnostics.Metrics) into a
/// coordinator: each becomes a <c>Send</c> to the instrument's stream (see
/// <see cref="MeterListenOptions"/>), with its tags.
/// </summary>
/// <remarks>
/// <para>The callback runs on the thread that recorded the measurement, so it must never throw into
/// the instrumented code: a measurement without a stream, or one Metrix refuses (a NaN, say), is
/// counted and logged once per instrument instead. Tags go through one reused dictionary per
/// thread, so a known tag set costs no allocation.</para>
/// <para>What a stream receives depends on the instrument (<see cref="InstrumentKind"/>): counters'
/// and histograms' values; an <c>UpDownCounter</c>'s running level; an observable gauge's or
/// up-down counter's observed level; an <c>ObservableCounter</c>'s increase since its previous
/// observation. Observable instruments are observed once per window of their stream
/// (<see cref="ObservablePoller"/>).</para>
/// </remarks>
internal sealed class MeterBridge : IDisposable
{
    [ThreadStatic]
    private static Dictionary<string, string>? _threadTags;

    private readonly MCoordinator _coordinator;
    private readonly PipelineContext _context;
    private readonly MeterListenOptions _options;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<string, Instrument> _streamSources = new(StringComparer.Ordinal);
    private readonly Lock _pollersGate = new();
    private readonly List<ObservablePoller> _pollers = [];
    private bool _disposed;

    public MeterBridge(MCoordinator coordinator, PipelineContext context, Func<Instrument, bool> predicate, MeterListenOptions options)
    {
        _coordinator = coordinator;
        _context = context;
        _options = options;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (predicate(instrument) && Follow(instrument) is { } followed && !instrument.IsObservable)
                {
                    listener.EnableMeasurementEvents(instrument, followed);
                }
            },
        };
        SetCallbacks(_listener);
        _listener.Start();
    }

    private PipelineDiagnostics Diagnostics => _context.Diagnostics;

    public void Dispose()
    {
        ObservablePoller[] pollers;
        lock (_pollersGate)
        {
            _disposed = true;
            pollers = [.. _pollers];
        }

        foreach (var poller in pollers)
        {
            poller.Dispose();
        }

        _listener.Dispose();
    }

    /// <summary>Maps an instrument to its stream and starts observing it if it is observable; null when it is not followed.</summary>
    private FollowedInstrument? Follow(Instrument instrument)
    {
        string? stream;
        try
        {
            stream = _options.StreamFor(instrument);
        }
        catch (Exception ex)
        {
            Diagnostics.InstrumentNotFollowed(instrument.Meter.Name, instrument.Name, $"the StreamName mapping threw {ex.GetType().Name}: {ex.Message}");
            return null;
        }

        if (string.IsNullOrEmpty(stream))
        {
            Diagnostics.InstrumentNotFollowed(instrument.Meter.Name, instrument.Name, "the StreamName mapping gave no stream name");
            return null;
        }

        var source = _streamSources.GetOrAdd(stream, instrument);
        if (!ReferenceEquals(source, instrument))
        {
            Diagnostics.InstrumentsShareStream(stream, source.Meter.Name, source.Name, instrument.Meter.Name, instrument.Name);
        }

        var followed = new FollowedInstrument(instrument, stream);
        if (instrument.IsObservable)
        {
            Observe(followed);
        }

        return followed;
    }

    private void Observe(FollowedInstrument followed)
    {
        var window = _coordinator.WindowOf(followed.Stream);
        if (window is null)
        {
            var reason = _coordinator.HasStream(followed.Stream) ? "counts batches, not windows" : "does not exist";
            Diagnostics.ObservableNotObserved(followed.Instrument.Meter.Name, followed.Instrument.Name, followed.Stream, reason);
            return;
        }

        lock (_pollersGate)
        {
            if (!_disposed)
            {
                var stream = _coordinator.Stream(followed.Stream);
                _pollers.Add(new ObservablePoller(followed, window.Value, stream, _context, SetCallbacks));
            }
        }
    }

    private void SetCallbacks(MeterListener listener)
    {
        listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Forward(state, value, tags));
        listener.SetMeasurementEventCallback<float>((_, value, tags, state) => Forward(state, value, tags));
        listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Forward(state, value, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, state) => Forward(state, value, tags));
        listener.SetMeasurementEventCallback<short>((_, value, tags, state) => Forward(state, value, tags));
        listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => Forward(state, value, tags));
        listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => Forward(state, (double)value, tags));
    }

    private void Forward(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (state is not FollowedInstrument followed)
        {
            return;
        }

        var instrument = followed.Instrument;
        if (!_coordinator.HasStream(followed.Stream))
        {
            Diagnostics.UnroutedMeasurement(instrument.Meter.Name, instrument.Name, followed.Stream, followed.FirstUnrouted());
            return;
        }

        var dictionary = _threadTags ??= new Dictionary<string, string>(StringComparer.Ordinal);
        dictionary.Clear();
        foreach (var (key, tagValue) in tags)
        {
            // A tag without a value carries nothing Metrix can group by.
            if (!string.IsNullOrEmpty(key) && tagValue is not null && _options.Keeps(key))
            {
                dictionary[key] = Convert.ToString(tagValue, CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        try
        {
            if (followed.SendsAsMeasured)
            {
                _coordinator.Send(followed.Stream, value, dictionary);
            }
            else
            {
                followed.Apply(KeyOf(dictionary), value, level => _coordinator.Send(followed.Stream, level, dictionary));
            }
        }
        catch (ArgumentException)
        {
            Diagnostics.RejectedMeasurement(instrument.Meter.Name, instrument.Name, followed.FirstRejected());
        }
        catch (ObjectDisposedException)
        {
            // The coordinator is shutting down and stops this listener; nothing to forward to.
        }
    }

    /// <summary>The tag set as one string, whatever the order the tags came in: the key of a level's state.</summary>
    private static string KeyOf(Dictionary<string, string> tags)
    {
        if (tags.Count == 0)
        {
            return string.Empty;
        }

        var key = new StringBuilder();
        foreach (var (name, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            key.Append(name).Append('\u001f').Append(value).Append('\u001e');
        }

        return key.ToString();
    }
}
