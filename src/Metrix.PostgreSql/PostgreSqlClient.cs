using System.Collections.Concurrent;
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
public sealed partial class PostgreSqlClient : ITsdbClient, IDisposable, IAsyncDisposable
{
    private const int MaxBatchSize = 5_000;
    private const int MaxSeriesLoggedOnce = 10_000;

    private readonly WriteCounters _counters = new();
    private readonly ConcurrentDictionary<string, byte> _seriesLoggedOnce = new(StringComparer.Ordinal);
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

    /// <summary>How long opening a connection may take. Default: 5 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan ConnectTimeout { get; init => field = SettingChecks.Positive(value, nameof(ConnectTimeout)); } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait after a failed write; later waits double (with jitter). Default: 0.1 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan ReconnectDelay { get; init => field = SettingChecks.Positive(value, nameof(ReconnectDelay)); } = TimeSpan.FromSeconds(0.1);

    /// <summary>The longest wait between attempts. Default: 30 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan MaxReconnectDelay { get; init => field = SettingChecks.Positive(value, nameof(MaxReconnectDelay)); } = TimeSpan.FromSeconds(30);

    /// <summary>How many points wait for the server at most. Default: 100,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int BufferCapacity { get; init => field = SettingChecks.AtLeastOne(value, nameof(BufferCapacity)); } = OpenTsdbClient.DefaultBufferCapacity;

    /// <summary>How long <c>Send</c> waits for room in a full buffer before it drops the point (and throws <see cref="TimeoutException"/>). Default: 1 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan SendTimeout { get; init => field = SettingChecks.NotNegative(value, nameof(SendTimeout)); } = TimeSpan.FromSeconds(1);

    /// <summary>How long dispose keeps writing what is buffered. Default: 10 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan DisposeTimeout { get; init => field = SettingChecks.NotNegative(value, nameof(DisposeTimeout)); } = TimeSpan.FromSeconds(10);

    /// <summary>Where failed writes, reconnections and dropped points are reported. Default: a logger that discards everything.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public ILogger Logger { get; init => field = SettingChecks.NotNull(value, nameof(Logger)); } = NullLogger.Instance;

    /// <summary>The clock for points sent without a timestamp, and for backoff and timeouts. Default: <see cref="TimeProvider.System"/>.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public TimeProvider TimeProvider { get; init => field = SettingChecks.NotNull(value, nameof(TimeProvider)); } = TimeProvider.System;

    /// <summary>What has been written, and what failed or was dropped, so far.</summary>
    public TsdbClientStatistics Statistics => _counters.Snapshot();

    /// <summary>Buffers one point stamped with <see cref="TimeProvider"/>'s current time.</summary>
    /// <inheritdoc cref="Send(string, double, IReadOnlyDictionary{string, string}, DateTimeOffset)"/>
    public void Send(string metric, double value, IReadOnlyDictionary<string, string> tags) =>
        Send(metric, value, tags, TimeProvider.GetUtcNow());

    /// <summary>Buffers one point measured at <paramref name="timestamp"/>.</summary>
    /// <param name="metric">The name, stored as it is.</param>
    /// <param name="value">The value; a NaN or an infinity is skipped (counted and logged once per series).</param>
    /// <param name="tags">The tags, stored as a JSON object.</param>
    /// <param name="timestamp">When the value was measured (stored in UTC, microseconds).</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty, or a tag key is empty.</exception>
    /// <exception cref="InvalidOperationException"><see cref="ConnectionString"/> is missing.</exception>
    /// <exception cref="TimeoutException">The buffer stayed full for <see cref="SendTimeout"/>; the point was dropped.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public void Send(string metric, double value, IReadOnlyDictionary<string, string> tags, DateTimeOffset timestamp)
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
            _counters.AddDropped(1);
            if (_seriesLoggedOnce.Count < MaxSeriesLoggedOnce && _seriesLoggedOnce.TryAdd(series, 0))
            {
                PostgreSqlLog.PointSkipped(Logger, Endpoint, series, $"the client stores finite numbers only, and the value is {value.ToString(CultureInfo.InvariantCulture)}");
            }

            return;
        }

        writer.Enqueue(new PostgreSqlRow(timestamp.UtcDateTime, metric, tagsJson, value, series), metric);
    }

    /// <summary>
    /// Stops accepting points, writes what is buffered for up to <see cref="DisposeTimeout"/>;
    /// points still unwritten are counted as dropped and logged.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

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
        var settings = new PointWriterSettings(
            "PostgreSQL client", Endpoint, BufferCapacity, MaxBatchSize, SendTimeout, DisposeTimeout, ReconnectDelay, MaxReconnectDelay, Logger, TimeProvider);
        return new PointWriter<PostgreSqlRow>(settings, transport, _counters);
    });
}
