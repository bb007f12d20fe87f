using Microsoft.Extensions.Logging;

namespace Metrix;

/// <summary>The OpenTSDB client's log messages, with stable event ids.</summary>
internal static partial class OpenTsdbLog
{
    [LoggerMessage(EventId = 101, EventName = "OpenTsdbWriteFailed", Level = LogLevel.Warning,
        Message = "OpenTSDB write of {Count} point(s) to {Endpoint} failed; retrying in {Delay}. {Error}")]
    public static partial void WriteFailed(ILogger logger, int count, string endpoint, TimeSpan delay, string error);

    [LoggerMessage(EventId = 102, EventName = "OpenTsdbReconnected", Level = LogLevel.Information,
        Message = "OpenTSDB connection to {Endpoint} restored after {Failures} failed attempt(s).")]
    public static partial void Reconnected(ILogger logger, string endpoint, int failures);

    [LoggerMessage(EventId = 103, EventName = "OpenTsdbPointsDropped", Level = LogLevel.Warning,
        Message = "OpenTSDB client for {Endpoint} dropped {Count} point(s): {Reason}.")]
    public static partial void Dropped(ILogger logger, string endpoint, long count, string reason);

    [LoggerMessage(EventId = 104, EventName = "OpenTsdbServerReplied", Level = LogLevel.Warning,
        Message = "OpenTSDB server replied: {Reply}")]
    public static partial void ServerReplied(ILogger logger, string reply);

    [LoggerMessage(EventId = 105, EventName = "OpenTsdbPointSkipped", Level = LogLevel.Warning,
        Message = "OpenTSDB client for {Endpoint} skips points of '{Metric}' (series {Series}): {Reason}. Further skips of this series are counted in Statistics.Dropped, not logged.")]
    public static partial void PointSkipped(ILogger logger, string endpoint, string metric, string series, string reason);
}
