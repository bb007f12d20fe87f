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
public sealed class GraphiteClient : BufferedTsdbClient
{
    private const int MaxBatchSize = 1_000;

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

    /// <summary>Buffers one point measured at <paramref name="timestamp"/>.</summary>
    /// <param name="metric">The metric name.</param>
    /// <param name="value">The value; a NaN or an infinity is skipped (counted and logged once per series).</param>
    /// <param name="tags">The tags, as Graphite tags; empty values are left out.</param>
    /// <param name="timestamp">When the value was measured (written in seconds).</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty, or a tag key is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is before 1970.</exception>
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

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>Describes the client for logs and <see cref="MCoordinator.ToString"/>.</summary>
    public override string ToString() => $"GraphiteClient({Endpoint})";

    private string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    private void Skip(string series, string reason)
    {
        if (CountSkipped(series))
        {
            GraphiteLog.PointSkipped(Logger, Endpoint, series, reason);
        }
    }

    private PointWriter<string> Start() => _writer.Get(() =>
    {
        var transport = new LineTcpTransport<string>(Host, Port, ConnectTimeout, lines => string.Concat(lines), reply => GraphiteLog.ServerReplied(Logger, reply));
        var settings = WriterSettings("Graphite client", Endpoint, MaxBatchSize);
        return new PointWriter<string>(settings, transport, Counters);
    });
}
