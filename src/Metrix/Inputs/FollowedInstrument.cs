using System.Diagnostics.Metrics;

namespace Metrix.Inputs;

/// <summary>What a measurement of an instrument means, and so what its stream receives.</summary>
internal enum InstrumentKind
{
    /// <summary>Each measurement is a value: counters (a window's <c>sum</c> is its total), histograms, synchronous gauges.</summary>
    Values,

    /// <summary>A synchronous <c>UpDownCounter</c>: each measurement is a change; the stream receives the running level.</summary>
    Level,

    /// <summary>An <c>ObservableGauge</c> or <c>ObservableUpDownCounter</c>: each observation is the level.</summary>
    ObservedLevel,

    /// <summary>An <c>ObservableCounter</c>: each observation is a running total; the stream receives the increase since the previous one.</summary>
    ObservedTotal,
}

/// <summary>
/// One instrument a <see cref="MeterBridge"/> follows: the stream it feeds, what its measurements
/// mean, and, for levels and observed totals, the state per tag set that turns them into values.
/// </summary>
internal sealed class FollowedInstrument(Instrument instrument, string stream)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _byTags = new(StringComparer.Ordinal);
    private int _unroutedLogged;
    private int _rejectedLogged;

    public Instrument Instrument { get; } = instrument;

    public string Stream { get; } = stream;

    public InstrumentKind Kind { get; } = KindOf(instrument);

    /// <summary>Whether the measurement is sent as it is (no state per tag set).</summary>
    public bool SendsAsMeasured => Kind is InstrumentKind.Values or InstrumentKind.ObservedLevel;

    /// <summary>True the first time only: the instrument's first measurement without a stream is logged.</summary>
    public bool FirstUnrouted() => Interlocked.Exchange(ref _unroutedLogged, 1) == 0;

    /// <summary>True the first time only: the instrument's first refused measurement is logged.</summary>
    public bool FirstRejected() => Interlocked.Exchange(ref _rejectedLogged, 1) == 0;

    /// <summary>
    /// Under this instrument's lock (so levels of concurrent changes are sent in the order they were
    /// applied): turns a measurement for the tag set <paramref name="tagKey"/> into the value to send,
    /// and sends it. A level starts at 0 when following starts; a total's first observation only
    /// sets its baseline.
    /// </summary>
    public void Apply(string tagKey, double measurement, Action<double> send)
    {
        lock (_gate)
        {
            var known = _byTags.TryGetValue(tagKey, out var previous);
            if (Kind == InstrumentKind.Level)
            {
                var level = previous + measurement;
                send(level);
                _byTags[tagKey] = level;
                return;
            }

            _byTags[tagKey] = measurement;
            if (known)
            {
                send(measurement - previous);
            }
        }
    }

    private static InstrumentKind KindOf(Instrument instrument)
    {
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(UpDownCounter<>) ? InstrumentKind.Level
            : definition == typeof(ObservableCounter<>) ? InstrumentKind.ObservedTotal
            : instrument.IsObservable ? InstrumentKind.ObservedLevel
            : InstrumentKind.Values;
    }
}
