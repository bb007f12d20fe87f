using Microsoft.Extensions.Logging;

namespace Metrix;

/// <summary>The PostgreSQL client's own log messages (its writer's are the Metrix writer core's).</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(EventId = 141, EventName = "PostgreSqlPointSkipped", Level = LogLevel.Warning,
        Message = "PostgreSQL client for {Endpoint} skips points of series {Series}: {Reason}. Further skips of this series are counted in Statistics.Dropped, not logged.")]
    public static partial void PointSkipped(ILogger logger, string endpoint, string series, string reason);

    [LoggerMessage(EventId = 142, EventName = "PostgreSqlRowRefused", Level = LogLevel.Warning,
        Message = "PostgreSQL refused a row of series {Series} ({SqlState}: {Error}); the other rows of its batch are written.")]
    public static partial void RowRefused(ILogger logger, string series, string sqlState, string error);
}
