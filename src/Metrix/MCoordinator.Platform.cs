using System.Diagnostics.Metrics;

namespace Metrix;

// The platform's metrics: ListenTo follows System.Diagnostics.Metrics instruments through a
// MeterBridge (Inputs/), which sends their measurements to streams like any caller.
public sealed partial class MCoordinator
{
    /// <summary>
    /// Follows the instruments of the <see cref="Meter"/> named <paramref name="meterName"/>: each
    /// measurement becomes a <see cref="Send(string, double, IReadOnlyDictionary{string, string})"/> to the stream named like the instrument, with the
    /// measurement's tags (values turned into invariant strings).
    /// </summary>
    /// <returns>A handle that stops following when disposed; disposing the coordinator stops it too.</returns>
    /// <inheritdoc cref="ListenTo(Func{Instrument, bool}, MeterListenOptions)" path="/remarks"/>
    /// <exception cref="ArgumentException"><paramref name="meterName"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public IDisposable ListenTo(string meterName) => ListenTo(meterName, MeterListenOptions.Default);

    /// <summary>
    /// Follows the instruments of the <see cref="Meter"/> named <paramref name="meterName"/>, mapped
    /// to streams and filtered by <paramref name="options"/>.
    /// </summary>
    /// <returns>A handle that stops following when disposed; disposing the coordinator stops it too.</returns>
    /// <inheritdoc cref="ListenTo(Func{Instrument, bool}, MeterListenOptions)" path="/remarks"/>
    /// <exception cref="ArgumentException"><paramref name="meterName"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public IDisposable ListenTo(string meterName, MeterListenOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(meterName);
        return ListenTo(instrument => instrument.Meter.Name == meterName, options);
    }

    /// <summary>
    /// Follows every instrument (System.Diagnostics.Metrics) for which <paramref name="predicate"/>
    /// is true, such as the runtime's or ASP.NET Core's: each measurement becomes a
    /// <see cref="Send(string, double, IReadOnlyDictionary{string, string})"/> to the stream named like the instrument, with its tags.
    /// </summary>
    /// <inheritdoc cref="ListenTo(Func{Instrument, bool}, MeterListenOptions)" path="/remarks"/>
    /// <returns>A handle that stops following when disposed; disposing the coordinator stops it too.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public IDisposable ListenTo(Func<Instrument, bool> predicate) => ListenTo(predicate, MeterListenOptions.Default);

    /// <summary>
    /// Follows every instrument for which <paramref name="predicate"/> is true, mapped to streams
    /// and filtered by <paramref name="options"/>: each measurement becomes a send to the
    /// instrument's stream, with its tags (values turned into invariant strings).
    /// </summary>
    /// <remarks>
    /// <para>What a stream receives: a <c>Counter</c>'s and a <c>Histogram</c>'s values (a counter's
    /// window <c>sum</c> is the window's total) and a <c>Gauge</c>'s recorded levels; an
    /// <c>UpDownCounter</c>'s running level after each change, per tag set, counted from when
    /// following began (so <c>last</c>, <c>min</c> and <c>max</c> are levels); an
    /// <c>ObservableGauge</c>'s and an <c>ObservableUpDownCounter</c>'s observed level; an
    /// <c>ObservableCounter</c>'s increase since its previous observation, per tag set (its first
    /// observation sets the baseline; <c>sum</c> is then the window's total). Observable instruments
    /// are observed on the scheduler once per window of their stream, halfway through it; their
    /// stream must exist, windowed, when the instrument is published (else that is logged).</para>
    /// <para>Measurements arrive on the thread that records them and never throw there: those of an
    /// instrument without a stream are counted in <see cref="MCoordinatorStatistics.UnroutedMeasurements"/>,
    /// refused ones (NaN, infinity) in <see cref="MCoordinatorStatistics.RejectedMeasurements"/>, and
    /// the first of each instrument is logged with the stream it would need. Two instruments that
    /// feed one stream (two meters' <c>requests</c>, say) are logged too: keep them apart with
    /// <see cref="MeterListenOptions.QualifyWithMeter"/> or <see cref="MeterListenOptions.StreamName"/>.</para>
    /// </remarks>
    /// <returns>A handle that stops following when disposed; disposing the coordinator stops it too.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public IDisposable ListenTo(Func<Instrument, bool> predicate, MeterListenOptions options)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(options);
        lock (_configGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var bridge = new MeterBridge(this, _context, predicate, options);
            _bridges.Add(bridge);
            return bridge;
        }
    }
}
