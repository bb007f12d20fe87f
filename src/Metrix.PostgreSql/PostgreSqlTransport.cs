using Metrix.Sinks.Writing;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Metrix;

/// <summary>
/// Writes batches with binary COPY over one connection, creating the table (and its index) if
/// missing on each new connection. A batch the server refuses for its data (a row it cannot
/// store) is split until the refused rows are found: the others are written, the refused ones
/// counted and logged, so one bad row never empties a batch. Connection failures are thrown, for
/// the writer to reconnect and resend.
/// </summary>
internal sealed class PostgreSqlTransport(string connectionString, string quotedTable, string indexName, TimeSpan timeout, ILogger logger) : IPointTransport<PostgreSqlRow>
{
    private NpgsqlConnection? _connection;

    public async Task WriteAsync(IReadOnlyList<PostgreSqlRow> points, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var refused = await WriteOrIsolateAsync(connection, points, cancellationToken).ConfigureAwait(false);
        if (refused.Count > 0)
        {
            throw new PointsRejectedException(
                $"PostgreSQL refused {refused.Count} row(s), e.g. of series {refused[0].Row.Series}: {refused[0].Error}", refused.Count);
        }
    }

    public async ValueTask ResetAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => ResetAsync();

    /// <summary>Data errors (SQLSTATE classes 22, 23): the row, not the connection, is at fault.</summary>
    private static bool IsDataError(PostgresException ex) => ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal);

    private async Task<List<(PostgreSqlRow Row, string Error)>> WriteOrIsolateAsync(NpgsqlConnection connection, IReadOnlyList<PostgreSqlRow> rows, CancellationToken cancellationToken)
    {
        try
        {
            await CopyAsync(connection, rows, cancellationToken).ConfigureAwait(false);
            return [];
        }
        catch (PostgresException ex) when (IsDataError(ex))
        {
            if (rows.Count == 1)
            {
                PostgreSqlLog.RowRefused(logger, rows[0].Series, ex.SqlState, ex.MessageText);
                return [(rows[0], $"{ex.SqlState} {ex.MessageText}")];
            }

            // COPY is all or nothing: write the halves apart to find the refused rows.
            var half = rows.Count / 2;
            var refused = await WriteOrIsolateAsync(connection, [.. rows.Take(half)], cancellationToken).ConfigureAwait(false);
            refused.AddRange(await WriteOrIsolateAsync(connection, [.. rows.Skip(half)], cancellationToken).ConfigureAwait(false));
            return refused;
        }
    }

    private async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<PostgreSqlRow> rows, CancellationToken cancellationToken)
    {
        // Disposing an importer without CompleteAsync writes nothing: complete, or throw.
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {quotedTable} (time, name, tags, value) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Time, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Name, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.TagsJson, NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Value, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        await ResetAsync().ConfigureAwait(false);
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(timeout);
            await connection.OpenAsync(connect.Token).ConfigureAwait(false);
            await using var create = new NpgsqlCommand(
                $"CREATE TABLE IF NOT EXISTS {quotedTable} (time timestamptz NOT NULL, name text NOT NULL, tags jsonb NOT NULL, value double precision NOT NULL); " +
                $"CREATE INDEX IF NOT EXISTS \"{indexName}\" ON {quotedTable} (name, time);",
                connection);
            await create.ExecuteNonQueryAsync(connect.Token).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _connection = connection;
        return connection;
    }
}
