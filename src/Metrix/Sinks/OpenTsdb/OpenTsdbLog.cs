using Microsoft.Extensions.Logging;

namespace Metrix;

/// <summary>The OpenTSDB client's own log messages, with stable event ids (its writer's are <see cref="Sinks.Writing.WriterLog"/>'s 101–103).</summary>
internal static partial class OpenTsdbLog
{
    [LoggerMessage(EventId = 104, EventName = "OpenTsdbServerReplied", Level = LogLevel.Warning,
        Message = "OpenTSDB server replied: {Reply}")]
    public static partial void ServerReplied(ILogger logger, string reply);

    [LoggerMessage(EventId = 105, EventName = "OpenTsdbPointSkipped", Level = LogLevel.Warning,
        Message = "OpenTSDB client for {Endpoint} skips points of '{Metric}' (series {Series}): {Reason}. Further skips of this series are counted in Statistics.Dropped, not logged.")]
    public static partial void PointSkipped(ILogger logger, string endpoint, string metric, string series, string reason);
}
