using System.Collections.Concurrent;
using Metrix.Sinks.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metrix;

/// <summary>
/// What every built-in database client shares: a bounded buffer written by one writer task, which
/// reconnects with exponential backoff (and jitter) and resends what it could not write; the
/// settings of that buffer and writer; statistics; and a dispose that writes what is buffered.
/// Each client adds its protocol: <see cref="OpenTsdbClient"/>, <see cref="InfluxDbClient"/>,
/// <see cref="GraphiteClient"/>, and in their own packages <c>PrometheusRemoteWriteClient</c> and
/// <c>PostgreSqlClient</c>.
/// </summary>
/// <remarks>
/// <para>Configure a client with an object initializer before its first send: every setting is
/// checked where it is set, and fixed from the first send on. Thread-safe.</para>
/// <para>Only Metrix's clients derive from it (its constructor is internal); to write to another
/// database, implement <see cref="ITsdbClient"/>.</para>
/// </remarks>
public abstract class BufferedTsdbClient : ITsdbClient, IDisposable, IAsyncDisposable
{
    /// <summary>The default of <see cref="BufferCapacity"/>: 100,000 points.</summary>
    public const int DefaultBufferCapacity = 100_000;

    // Skipped points are logged once per series, for this many series at most, so that hostile
    // tags cannot grow the set without bound.
    private const int MaxSeriesLoggedOnce = 10_000;

    private readonly ConcurrentDictionary<string, byte> _seriesLoggedOnce = new(StringComparer.Ordinal);

    internal BufferedTsdbClient()
    {
    }

    /// <summary>How long one connection attempt, and one write, may take. Default: 5 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan ConnectTimeout { get; init => field = SettingChecks.Positive(value, nameof(ConnectTimeout)); } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after the first failed write; it doubles (with jitter) after each further failure. Default: 0.1 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan ReconnectDelay { get; init => field = SettingChecks.Positive(value, nameof(ReconnectDelay)); } = TimeSpan.FromSeconds(0.1);

    /// <summary>The longest wait between attempts. Default: 30 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan MaxReconnectDelay { get; init => field = SettingChecks.Positive(value, nameof(MaxReconnectDelay)); } = TimeSpan.FromSeconds(30);

    /// <summary>How many points wait for the server at most. Default: <see cref="DefaultBufferCapacity"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int BufferCapacity { get; init => field = SettingChecks.AtLeastOne(value, nameof(BufferCapacity)); } = DefaultBufferCapacity;

    /// <summary>
    /// How long <c>Send</c> waits for room in a full buffer before it drops the point (counted,
    /// logged, and reported with a <see cref="TimeoutException"/>). Default: 1 s.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan SendTimeout { get; init => field = SettingChecks.NotNegative(value, nameof(SendTimeout)); } = TimeSpan.FromSeconds(1);

    /// <summary>How long dispose keeps writing what is buffered; what is left then is counted and logged. Default: 10 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan DisposeTimeout { get; init => field = SettingChecks.NotNegative(value, nameof(DisposeTimeout)); } = TimeSpan.FromSeconds(10);

    /// <summary>Where failed writes, reconnections and dropped points are reported. Default: a logger that discards everything.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public ILogger Logger { get; init => field = SettingChecks.NotNull(value, nameof(Logger)); } = NullLogger.Instance;

    /// <summary>The clock for points sent without a timestamp, and for backoff and timeouts. Default: <see cref="TimeProvider.System"/>.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public TimeProvider TimeProvider { get; init => field = SettingChecks.NotNull(value, nameof(TimeProvider)); } = TimeProvider.System;

    /// <summary>What has been written, and what failed or was dropped, so far.</summary>
    public TsdbClientStatistics Statistics => Counters.Snapshot();

    /// <summary>The counts behind <see cref="Statistics"/>, kept by the writer and the client's skips.</summary>
    internal WriteCounters Counters { get; } = new();

    /// <summary>Buffers one point stamped with <see cref="TimeProvider"/>'s current time.</summary>
    /// <inheritdoc cref="Send(string, double, IReadOnlyDictionary{string, string}, DateTimeOffset)"/>
    public void Send(string metric, double value, IReadOnlyDictionary<string, string> tags) =>
        Send(metric, value, tags, TimeProvider.GetUtcNow());

    /// <summary>Buffers one point measured at <paramref name="timestamp"/>; see the client for how its protocol carries names, tags, values and times.</summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="value">The value; one the protocol cannot store (NaN, infinities) is skipped, counted and logged once per series.</param>
    /// <param name="tags">The tags.</param>
    /// <param name="timestamp">When the value was measured.</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> or a tag is not acceptable to the protocol.</exception>
    /// <exception cref="InvalidOperationException">A required setting is missing.</exception>
    /// <exception cref="TimeoutException">The buffer stayed full for <see cref="SendTimeout"/>; the point was dropped.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public abstract void Send(string metric, double value, IReadOnlyDictionary<string, string> tags, DateTimeOffset timestamp);

    /// <summary>
    /// Stops accepting points and writes what is buffered for up to <see cref="DisposeTimeout"/>;
    /// points still unwritten are counted as dropped and logged.
    /// </summary>
    public void Dispose()
    {
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc cref="Dispose"/>
    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Counts a point the client does not write (a value or time its protocol cannot carry);
    /// true the first time for <paramref name="series"/>, when the client should log why.
    /// </summary>
    internal bool CountSkipped(string series)
    {
        Counters.AddDropped(1);
        return _seriesLoggedOnce.Count < MaxSeriesLoggedOnce && _seriesLoggedOnce.TryAdd(series, 0);
    }

    /// <summary>The writer's settings: these, with the client's name, endpoint and batch size.</summary>
    internal PointWriterSettings WriterSettings(string client, string endpoint, int maxBatchSize) =>
        new(client, endpoint, BufferCapacity, maxBatchSize, SendTimeout, DisposeTimeout, ReconnectDelay, MaxReconnectDelay, Logger, TimeProvider);
}
