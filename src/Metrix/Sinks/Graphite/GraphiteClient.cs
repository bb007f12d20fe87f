using System.Collections.Concurrent;
using System.Globalization;
using Metrix.Sinks.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metrix;

/// <summary>
/// Writes data points to Graphite (carbon) with its plaintext protocol over TCP, tags as Graphite
/// tags (<c>name;tag=value</c>), timestamps in seconds; from a bounded buffer, reconnecting with
/// backoff and resending what it could not write.
/// </summary>
/// <example>
/// <code>
/// MSinks = { new MSinkTSDB(new GraphiteClient { Host = "carbon.local", Port = 2003 }) { OwnsClient = true } },
/// </code>
/// </example>
/// <remarks>
/// <para>Names and tags keep every character Graphite can carry; the others become <c>_</c> (see
/// the README). Timestamps are whole seconds: a point is stamped with its time rounded down, or one
/// second later when its series already has a point there; a point that would need more (windows
/// shorter than a second) is not written: counted in <see cref="TsdbClientStatistics.Dropped"/> and
/// logged once per series, as are values Graphite cannot store (NaN, infinities).</para>
/// <para>The protocol never acknowledges: before each write the client checks whether the server
/// closed the connection, but lines the OS accepted just before a crash can be lost.</para>
/// <para>Configure with an object initializer before the first send. Thread-safe.</para>
/// </remarks>
public sealed class GraphiteClient : ITsdbClient, IDisposable, IAsyncDisposable
{
    private const int MaxBatchSize = 1_000;
    private const int MaxSeriesLoggedOnce = 10_000;

    private readonly WriteCounters _counters = new();
    private readonly ConcurrentDictionary<string, byte> _seriesLoggedOnce = new(StringComparer.Ordinal);
    private readonly SeriesClock _seriesClock = new(horizon: 60);
    private readonly LazyPointWriter<string> _writer;

    /// <summary>Creates a client; configure it with an object initializer.</summary>
    public GraphiteClient() => _writer = new(this);

    /// <summary>The carbon server's host name or address. Default: <c>localhost</c>.</summary>
    /// <exception cref="ArgumentException">The value is null, empty or white space.</exception>
    public string Host { get; init => field = SettingChecks.Host(value, nameof(Host)); } = "localhost";

    /// <summary>Its plaintext port. Default: 2003.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in 1–65535.</exception>
    public int Port { get; init => field = SettingChecks.Port(value, nameof(Port)); } = 2003;

    /// <summary>How long one connection attempt, and one write, may take. Default: 5 s.</summary>
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
    /// <param name="metric">The metric name.</param>
    /// <param name="value">The value; a NaN or an infinity is skipped (counted and logged once per series).</param>
    /// <param name="tags">The tags, as Graphite tags; empty values are left out.</param>
    /// <param name="timestamp">When the value was measured (written in seconds).</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty, or a tag key is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is before 1970.</exception>
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

        if (timestamp < DateTimeOffset.UnixEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "Graphite timestamps start at 1970-01-01.");
        }

        var writer = Start();
        var series = GraphiteLines.Series(metric, tags);
        if (!double.IsFinite(value))
        {
            Skip(series, $"Graphite stores finite numbers only, and the value is {value.ToString(CultureInfo.InvariantCulture)}");
            return;
        }

        if (!_seriesClock.TryNext(series, timestamp.ToUnixTimeSeconds(), out var seconds))
        {
            Skip(series, "its series already has points in this second and the next (windows shorter than a second); use longer windows");
            return;
        }

        writer.Enqueue(GraphiteLines.Line(series, value, seconds), metric);
    }

    /// <summary>
    /// Stops accepting points, writes what is buffered for up to <see cref="DisposeTimeout"/>, then
    /// closes the connection; points still unwritten are counted as dropped and logged.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>Describes the client for logs and <see cref="MCoordinator.ToString"/>.</summary>
    public override string ToString() => $"GraphiteClient({Endpoint})";

    private string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    private void Skip(string series, string reason)
    {
        _counters.AddDropped(1);
        if (_seriesLoggedOnce.Count < MaxSeriesLoggedOnce && _seriesLoggedOnce.TryAdd(series, 0))
        {
            GraphiteLog.PointSkipped(Logger, Endpoint, series, reason);
        }
    }

    private PointWriter<string> Start() => _writer.Get(() =>
    {
        if (string.IsNullOrWhiteSpace(Host) || Port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"GraphiteClient needs a Host and a Port in 1–65535 (has '{Host}' and {Port}).");
        }

        var transport = new LineTcpTransport<string>(Host, Port, ConnectTimeout, lines => string.Concat(lines), reply => GraphiteLog.ServerReplied(Logger, reply));
        var settings = new PointWriterSettings(
            "Graphite client", Endpoint, BufferCapacity, MaxBatchSize, SendTimeout, DisposeTimeout, ReconnectDelay, MaxReconnectDelay, Logger, TimeProvider);
        return new PointWriter<string>(settings, transport, _counters);
    });
}
