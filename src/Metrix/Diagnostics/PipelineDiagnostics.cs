using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metrix.Diagnostics;

/// <summary>
/// Where the pipeline reports its trouble: every failure and every drop is both counted and
/// logged, so nothing goes wrong silently. Thread-safe.
/// </summary>
internal sealed class PipelineDiagnostics(Func<DateTimeOffset> clock)
{
    private const long NoFailure = long.MinValue;
    private ILogger _logger = NullLogger.Instance;
    private long _lastFailureTicks = NoFailure;
    private long _delivered;
    private long _sinkFailures;
    private long _aggregationFailures;
    private long _dropped;
    private long _tagSetOverflows;
    private long _unroutedMeasurements;
    private long _rejectedMeasurements;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _overflowedStreams = new(StringComparer.Ordinal);

    public ILogger Logger
    {
        get => _logger;
        set => _logger = value ?? throw new ArgumentNullException(nameof(MCoordinator.Logger));
    }

    public void Delivered() => Interlocked.Increment(ref _delivered);

    public void SinkFailed(IMSink sink, MElement element, Exception exception)
    {
        Interlocked.Increment(ref _sinkFailures);
        Failed();
        Report(logger => Log.SinkFailed(logger, sink, element, exception));
    }

    /// <summary>A sink threw from its <c>Dispose</c>/<c>DisposeAsync</c> when the coordinator disposed it: counted as a sink failure and logged.</summary>
    public void SinkDisposeFailed(IMSink sink, Exception exception)
    {
        Interlocked.Increment(ref _sinkFailures);
        Failed();
        Report(logger => Log.SinkDisposeFailed(logger, sink, exception));
    }

    public void AggregationFailed(string streamName, string aggName, TagSet tags, Exception exception)
    {
        Interlocked.Increment(ref _aggregationFailures);
        Failed();
        Report(logger => Log.AggregationFailed(logger, streamName, aggName, tags.Key ?? "None", exception));
    }

    public void Dropped(string where, long count, string reason)
    {
        Interlocked.Add(ref _dropped, count);
        Failed();
        Report(logger => Log.ElementsDropped(logger, count, where, reason));
    }

    /// <summary>Stamps the last failure or drop with the coordinator's clock (its scheduler's).</summary>
    private void Failed() => Interlocked.Exchange(ref _lastFailureTicks, clock().UtcTicks);

    /// <summary>
    /// Logs on an error path. A logger that throws (Microsoft.Extensions.Logging rethrows its
    /// providers' failures) must not break a lane or reach a sender; the event is still counted.
    /// </summary>
    private void Report(Action<ILogger> log)
    {
        try
        {
            log(_logger);
        }
        catch (Exception)
        {
            // Nowhere left to report to: the counters above still tell.
        }
    }

    /// <summary>
    /// One element folded into a stream's overflow group. Counted each time; logged the first time
    /// per stream, since a stream past its cap would otherwise log on every send.
    /// </summary>
    public void TagSetOverflow(string streamName, int maxTagSets)
    {
        Interlocked.Increment(ref _tagSetOverflows);
        if (_overflowedStreams.TryAdd(streamName, 0))
        {
            Report(logger => Log.TagSetOverflow(logger, streamName, maxTagSets));
        }
    }

    /// <summary>A measurement of an instrument without a stream of its name: counted; logged the first time per instrument.</summary>
    public void UnroutedMeasurement(string meter, string instrument, string stream, bool first)
    {
        Interlocked.Increment(ref _unroutedMeasurements);
        if (first)
        {
            Report(logger => Log.UnroutedMeasurement(logger, meter, instrument, stream));
        }
    }

    /// <summary>Two instruments feed one stream: logged (once per instrument, when it is published).</summary>
    public void InstrumentsShareStream(string stream, string firstMeter, string firstInstrument, string meter, string instrument) =>
        Report(logger => Log.InstrumentsShareStream(logger, stream, firstMeter, firstInstrument, meter, instrument));

    /// <summary>An instrument the listener's mapping gave no stream: logged (once, when it is published).</summary>
    public void InstrumentNotFollowed(string meter, string instrument, string reason) =>
        Report(logger => Log.InstrumentNotFollowed(logger, meter, instrument, reason));

    /// <summary>An observable instrument without a windowed stream to observe it for: logged (once, when it is published).</summary>
    public void ObservableNotObserved(string meter, string instrument, string stream, string reason) =>
        Report(logger => Log.ObservableNotObserved(logger, meter, instrument, stream, reason));

    /// <summary>A measurement Send refused (a NaN, an infinity): counted; logged the first time per instrument.</summary>
    public void RejectedMeasurement(string meter, string instrument, bool first)
    {
        Interlocked.Increment(ref _rejectedMeasurements);
        if (first)
        {
            Report(logger => Log.RejectedMeasurement(logger, meter, instrument));
        }
    }

    public MCoordinatorStatistics Snapshot() => new(
        Interlocked.Read(ref _delivered),
        Interlocked.Read(ref _sinkFailures),
        Interlocked.Read(ref _aggregationFailures),
        Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _tagSetOverflows),
        Interlocked.Read(ref _unroutedMeasurements),
        Interlocked.Read(ref _rejectedMeasurements),
        Interlocked.Read(ref _lastFailureTicks) is var ticks and not NoFailure ? new DateTimeOffset(ticks, TimeSpan.Zero) : null);
}
