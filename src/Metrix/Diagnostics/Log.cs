using Microsoft.Extensions.Logging;

namespace Metrix.Diagnostics;

/// <summary>The coordinator's own log messages, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "SinkFailed", Level = LogLevel.Error,
        Message = "Metrix sink {Sink} threw while emitting {Element}; the other sinks carry on.")]
    public static partial void SinkFailed(ILogger logger, IMSink sink, MElement element, Exception exception);

    [LoggerMessage(EventId = 2, EventName = "AggregationFailed", Level = LogLevel.Error,
        Message = "Metrix aggregation {Aggregation} of stream {Stream} threw for tags {Tags}; that output is skipped, the others carry on.")]
    public static partial void AggregationFailed(ILogger logger, string stream, string aggregation, string tags, Exception exception);

    [LoggerMessage(EventId = 3, EventName = "ElementsDropped", Level = LogLevel.Warning,
        Message = "Metrix dropped {Count} element(s) bound for {Target}: {Reason}.")]
    public static partial void ElementsDropped(ILogger logger, long count, string target, string reason);

    [LoggerMessage(EventId = 4, EventName = "TagSetOverflow", Level = LogLevel.Warning,
        Message = "Metrix stream {Stream} reached its limit of {MaxTagSets} tag sets in one window; further tag sets of that window are aggregated into one group tagged metrix.overflow=true (counted in Statistics.TagSetOverflows; logged once per stream).")]
    public static partial void TagSetOverflow(ILogger logger, string stream, int maxTagSets);

    [LoggerMessage(EventId = 5, EventName = "UnroutedMeasurement", Level = LogLevel.Warning,
        Message = "Metrix listens to instrument {Instrument} of meter {Meter} but has no MStream named {Stream}; add one to aggregate it. Its measurements are counted in Statistics.UnroutedMeasurements, not aggregated (logged once per instrument).")]
    public static partial void UnroutedMeasurement(ILogger logger, string meter, string instrument, string stream);

    [LoggerMessage(EventId = 6, EventName = "RejectedMeasurement", Level = LogLevel.Warning,
        Message = "Metrix refused a measurement of instrument {Instrument} of meter {Meter} (not a finite number); such measurements are counted in Statistics.RejectedMeasurements (logged once per instrument).")]
    public static partial void RejectedMeasurement(ILogger logger, string meter, string instrument);

    [LoggerMessage(EventId = 7, EventName = "SinkDisposeFailed", Level = LogLevel.Error,
        Message = "Metrix sink {Sink} threw while the coordinator disposed it; the other sinks are disposed all the same.")]
    public static partial void SinkDisposeFailed(ILogger logger, IMSink sink, Exception exception);

    [LoggerMessage(EventId = 8, EventName = "InstrumentsShareStream", Level = LogLevel.Warning,
        Message = "Metrix: instrument {Instrument} of meter {Meter} feeds stream {Stream}, which instrument {FirstInstrument} of meter {FirstMeter} already feeds; their measurements merge. To keep them apart, ListenTo with MeterListenOptions.QualifyWithMeter or a StreamName mapping.")]
    public static partial void InstrumentsShareStream(ILogger logger, string stream, string firstMeter, string firstInstrument, string meter, string instrument);

    [LoggerMessage(EventId = 9, EventName = "InstrumentNotFollowed", Level = LogLevel.Warning,
        Message = "Metrix does not follow instrument {Instrument} of meter {Meter}: {Reason}.")]
    public static partial void InstrumentNotFollowed(ILogger logger, string meter, string instrument, string reason);

    [LoggerMessage(EventId = 10, EventName = "ObservableNotObserved", Level = LogLevel.Warning,
        Message = "Metrix observes observable instrument {Instrument} of meter {Meter} once per window of its stream {Stream}, which {Reason}; the instrument is not collected. Add a windowed MStream of that name before ListenTo.")]
    public static partial void ObservableNotObserved(ILogger logger, string meter, string instrument, string stream, string reason);
}
