using Microsoft.Extensions.Logging;

namespace Metrix;

/// <summary>The InfluxDB client's own log messages (its writer's are <see cref="Sinks.Writing.WriterLog"/>'s).</summary>
internal static partial class InfluxDbLog
{
    [LoggerMessage(EventId = 111, EventName = "InfluxDbPointSkipped", Level = LogLevel.Warning,
        Message = "InfluxDB client for {Endpoint} skips points of series {Series}: {Reason}. Further skips of this series are counted in Statistics.Dropped, not logged.")]
    public static partial void PointSkipped(ILogger logger, string endpoint, string series, string reason);
}
