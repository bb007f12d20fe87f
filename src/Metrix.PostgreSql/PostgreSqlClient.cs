using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Metrix.Sinks.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Metrix;

/// <summary>
/// Writes data points to PostgreSQL with binary COPY into a table it creates if missing
/// (<c>time timestamptz, name text, tags jsonb, value double precision</c>, indexed on
/// <c>(name, time)</c>), from a bounded buffer, reconnecting with backoff and resending what it
/// could not write.
/// </summary>
/// <example>
/// <code>
/// MSinks = { new MSinkTSDB(new PostgreSqlClient { ConnectionString = "Host=db;Database=metrics;Username=metrix" }) { OwnsClient = true } },
/// // SELECT time, tags->>'route' AS route, value FROM metrix_points WHERE name = 'latency.p99' ORDER BY time;
/// </code>
/// </example>
/// <remarks>
/// <para>Names, tags and values are stored exactly (tags as a JSON object). A row the server
/// refuses (a NUL character, which PostgreSQL text cannot hold) is found by splitting its batch,
/// counted in <see cref="TsdbClientStatistics.Dropped"/> and logged; the other rows are written.
/// Values PostgreSQL would store but SQL compares oddly (NaN, infinities) are skipped, counted and
/// logged once per series. A broken connection (a restarted server) is reopened and the batch
/// written again; COPY is all or nothing, so a batch is never written twice.</para>
/// <para>Configure with an object initializer before the first send. Thread-safe.</para>
/// </remarks>
public sealed partial class PostgreSqlClient : BufferedTsdbClient
{
    private const int MaxBatchSize = 5_000;

    private readonly LazyPointWriter<PostgreSqlRow> _writer;

    /// <summary>Creates a client; configure it with an object initializer.</summary>
    public PostgreSqlClient() => _writer = new(this);

    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=metrics;Username=metrix;Password=…</c>. Required.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The table, optionally schema-qualified (<c>schema.table</c>; letters, digits and <c>_</c>). Default: <c>metrix_points</c>.</summary>
    /// <exception cref="ArgumentException">The value is not such a table name (it goes into SQL, so nothing else is accepted).</exception>
    public string Table
    {
        get;
        init => field = value is not null && TableName().IsMatch(value)
            ? value
            : throw new ArgumentException($"PostgreSqlClient.Table '{value}' is not a table name: letters, digits and _, optionally schema.table.", nameof(Table));
    } = "metrix_points";

    /// <summary>Buffers one point measured at <paramref name="timestamp"/>.</summary>
    /// <param name="metric">The name, stored as it is.</param>
    /// <param name="value">The value; a NaN or an infinity is skipped (counted and logged once per series).</param>
    /// <param name="tags">The tags, stored as a JSON object.</param>
    /// <param name="timestamp">When the value was measured (stored in UTC, microseconds).</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty, or a tag key is empty.</exception>
    /// <exception cref="InvalidOperationException"><see cref="ConnectionString"/> is missing.</exception>
    /// <exception cref="TimeoutException">The buffer stayed full for <see cref="BufferedTsdbClient.SendTimeout"/>; the point was dropped.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public override void Send(string metric, double value, IReadOnlyDictionary<string, string> tags, DateTimeOffset timestamp)
    {
        ObjectDisposedException.ThrowIf(_writer.IsDisposed, this);
        ArgumentException.ThrowIfNullOrEmpty(metric);
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Keys.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A tag key must not be null or empty.", nameof(tags));
        }

        var writer = Start();
        var sorted = new SortedDictionary<string, string>(tags.ToDictionary(t => t.Key, t => t.Value), StringComparer.Ordinal);
        var tagsJson = JsonSerializer.Serialize(sorted);
        var series = metric + tagsJson;
        if (!double.IsFinite(value))
        {
            if (CountSkipped(series))
            {
                PostgreSqlLog.PointSkipped(Logger, Endpoint, series, $"the client stores finite numbers only, and the value is {value.ToString(CultureInfo.InvariantCulture)}");
            }

            return;
        }

        writer.Enqueue(new PostgreSqlRow(timestamp.UtcDateTime, metric, tagsJson, value, series), metric);
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>Describes the client for logs and <see cref="MCoordinator.ToString"/> (without the password).</summary>
    public override string ToString() => $"PostgreSqlClient({Endpoint})";

    private string Endpoint
    {
        get
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(ConnectionString ?? string.Empty);
                return $"{builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database} {Table}";
            }
            catch (ArgumentException)
            {
                return Table;
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$")]
    private static partial Regex TableName();

    private PointWriter<PostgreSqlRow> Start() => _writer.Get(() =>
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException("PostgreSqlClient needs ConnectionString, e.g. Host=db;Database=metrics;Username=metrix.");
        }

        var quoted = string.Join('.', Table.Split('.').Select(part => $"\"{part}\""));
        var transport = new PostgreSqlTransport(ConnectionString, quoted, Table.Replace('.', '_') + "_name_time", ConnectTimeout, Logger);
        var settings = WriterSettings("PostgreSQL client", Endpoint, MaxBatchSize);
        return new PointWriter<PostgreSqlRow>(settings, transport, Counters);
    });
}
