using Microsoft.Extensions.Logging;

namespace Metrix.Sinks.Writing;

/// <summary>The database clients' shared log messages, with stable event ids (101–103, as the OpenTSDB client has always used).</summary>
internal static partial class WriterLog
{
    [LoggerMessage(EventId = 101, EventName = "PointWriteFailed", Level = LogLevel.Warning,
        Message = "{Client} write of {Count} point(s) to {Endpoint} failed; retrying in {Delay}. {Error}")]
    public static partial void WriteFailed(ILogger logger, string client, int count, string endpoint, TimeSpan delay, string error);

    [LoggerMessage(EventId = 102, EventName = "PointWriterReconnected", Level = LogLevel.Information,
        Message = "{Client} connection to {Endpoint} restored after {Failures} failed attempt(s).")]
    public static partial void Reconnected(ILogger logger, string client, string endpoint, int failures);

    [LoggerMessage(EventId = 103, EventName = "PointsDropped", Level = LogLevel.Warning,
        Message = "{Client} for {Endpoint} dropped {Count} point(s): {Reason}.")]
    public static partial void Dropped(ILogger logger, string client, string endpoint, long count, string reason);
}
