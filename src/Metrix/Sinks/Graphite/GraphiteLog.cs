using Microsoft.Extensions.Logging;

namespace Metrix;

/// <summary>The Graphite client's own log messages (its writer's are <see cref="Sinks.Writing.WriterLog"/>'s).</summary>
internal static partial class GraphiteLog
{
    [LoggerMessage(EventId = 121, EventName = "GraphitePointSkipped", Level = LogLevel.Warning,
        Message = "Graphite client for {Endpoint} skips points of series {Series}: {Reason}. Further skips of this series are counted in Statistics.Dropped, not logged.")]
    public static partial void PointSkipped(ILogger logger, string endpoint, string series, string reason);

    [LoggerMessage(EventId = 122, EventName = "GraphiteServerReplied", Level = LogLevel.Warning,
        Message = "Graphite server replied: {Reply}")]
    public static partial void ServerReplied(ILogger logger, string reply);
}
