using Microsoft.Extensions.Logging;

namespace Metrix;

/// <summary>The remote-write client's own log messages (its writer's are the Metrix writer core's).</summary>
internal static partial class PrometheusLog
{
    [LoggerMessage(EventId = 131, EventName = "RemoteWritePointSkipped", Level = LogLevel.Warning,
        Message = "Prometheus remote-write client for {Endpoint} skips points of series {Series}: {Reason}. Further skips of this series are counted in Statistics.Dropped, not logged.")]
    public static partial void PointSkipped(ILogger logger, string endpoint, string series, string reason);
}
