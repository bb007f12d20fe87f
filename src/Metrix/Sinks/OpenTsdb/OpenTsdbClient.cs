using System.Globalization;
using Metrix.Sinks.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metrix;

/// <summary>
/// Writes data points to OpenTSDB (or a server that speaks its protocols, such as VictoriaMetrics)
/// from a bounded buffer, reconnecting with backoff and resending what it could not write.
/// </summary>
/// <example>
/// <code>
/// await using var tsdb = new OpenTsdbClient { Host = "tsdb.local", Port = 4242 };
/// using var mc = new MCoordinator
/// {
///     MStreams = { new MStream("latency") { Agg = { MAgg.Mean }, WindowSize = TimeSpan.FromSeconds(10) } },
///     MSinks = { new MSinkTSDB(tsdb) },
/// };
/// </code>
/// </example>
/// <remarks>
/// <para><see cref="Send(string, double, IReadOnlyDictionary{string, string}, DateTimeOffset)"/> only
/// checks, converts and buffers the point; one background task writes batches to the server. When
/// the server is down, points wait in the buffer (up to <see cref="BufferedTsdbClient.BufferCapacity"/>) while the
/// client reconnects with exponential backoff, and are written, in order, once it is back.</para>
/// <para>OpenTSDB's rules are applied to every point: metric names and tags keep letters, digits and
/// <c>- _ . /</c> (any other character becomes <c>_</c>); tags with an empty value are left out; a
/// point without tags gets <see cref="FallbackTags"/>; values must be finite. Timestamps are whole
/// seconds over <see cref="OpenTsdbProtocol.Telnet"/> and milliseconds over
/// <see cref="OpenTsdbProtocol.Http"/>. A point is stamped with its time rounded down to that unit,
/// or one unit later when its series already has a point there (two windows never overwrite each
/// other); a point that would need more (windows shorter than the unit) is not written: counted in
/// <see cref="TsdbClientStatistics.Dropped"/> and logged once per series, so timestamps never
/// drift ahead of the clock.</para>
/// <para>Values OpenTSDB cannot store (NaN, infinities, such as the <c>stdev</c> of a single value)
/// are skipped the same way: counted, logged once per series (up to 10,000 series), never thrown.</para>
/// <para>Configure with an object initializer before the first send. Thread-safe.</para>
/// </remarks>
public sealed class OpenTsdbClient : BufferedTsdbClient
{
    private const int MaxBatchSize = 1_000;


    private readonly string _host = "localhost";
    private readonly int _port = 4242;
    private readonly KeyValuePair<string, string>[] _fallbackTags = [new("host", OpenTsdbNames.Sanitize(Environment.MachineName))];
    private SeriesClock? _seriesClock;
    private readonly LazyPointWriter<OpenTsdbPoint> _writer;

    /// <summary>Creates a client; configure it with an object initializer.</summary>
    public OpenTsdbClient() => _writer = new(this);

    /// <summary>The server's host name or address. Default: <c>localhost</c>.</summary>
    /// <exception cref="ArgumentException">The value is null or empty.</exception>
    public string Host
    {
        get => _host;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Host));
            _host = value;
        }
    }

    /// <summary>The server's port: its telnet port, or its HTTP port for <see cref="OpenTsdbProtocol.Http"/>. Default: 4242.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in 1–65535.</exception>
    public int Port
    {
        get => _port;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Port));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65535, nameof(Port));
            _port = value;
        }
    }

    /// <summary>The protocol. Default: <see cref="OpenTsdbProtocol.Telnet"/> (<c>put</c> lines).</summary>
    public OpenTsdbProtocol Protocol { get; init; } = OpenTsdbProtocol.Telnet;

    /// <summary>
    /// The tags of points that have none (OpenTSDB requires at least one).
    /// Default: <c>host</c> = this machine's name.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty, or a key or value is not a valid OpenTSDB name.</exception>
    public IReadOnlyDictionary<string, string> FallbackTags
    {
        get => _fallbackTags.ToDictionary();
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(FallbackTags));
            if (value.Count == 0)
            {
                throw new ArgumentException("OpenTSDB needs at least one tag per point; FallbackTags must hold one.", nameof(FallbackTags));
            }

            foreach (var (key, tagValue) in value)
            {
                OpenTsdbNames.Validate(key, "FallbackTags key", nameof(FallbackTags));
                OpenTsdbNames.Validate(tagValue, $"FallbackTags value of '{key}'", nameof(FallbackTags));
            }

            _fallbackTags = [.. value.OrderBy(t => t.Key, StringComparer.Ordinal)];
        }
    }

    /// <summary>Buffers one point measured at <paramref name="timestamp"/>.</summary>
    /// <param name="metric">The metric name; sanitized to OpenTSDB's characters.</param>
    /// <param name="value">The value; a NaN or an infinity is skipped (counted and logged once per series).</param>
    /// <param name="tags">The tags; sanitized, empty values left out, <see cref="FallbackTags"/> when none remain.</param>
    /// <param name="timestamp">When the value was measured.</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty, or a tag key is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is before 1970.</exception>
    /// <exception cref="TimeoutException">The buffer stayed full for <see cref="BufferedTsdbClient.SendTimeout"/>; the point was dropped.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public override void Send(string metric, double value, IReadOnlyDictionary<string, string> tags, DateTimeOffset timestamp)
    {
        ObjectDisposedException.ThrowIf(_writer.IsDisposed, this);
        var point = CreatePoint(metric, value, tags, timestamp);
        if (!double.IsFinite(value))
        {
            Skip(point, $"OpenTSDB stores finite numbers only, and the value is {value.ToString(CultureInfo.InvariantCulture)}");
            return;
        }

        var clock = SeriesClockOfProtocol();
        var unit = Protocol == OpenTsdbProtocol.Http ? "millisecond" : "second";
        var floor = Protocol == OpenTsdbProtocol.Http ? timestamp.ToUnixTimeMilliseconds() : timestamp.ToUnixTimeSeconds();
        if (!clock.TryNext(point.SeriesKey, floor, out var stamp))
        {
            Skip(point, $"its series already has points in this {unit} and the next (windows shorter than a {unit}); use longer windows{(Protocol == OpenTsdbProtocol.Http ? string.Empty : " or OpenTsdbProtocol.Http")}");
            return;
        }

        Start().Enqueue(point with { Timestamp = stamp }, point.Metric);
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>Describes the client for logs and <see cref="MCoordinator.ToString"/>.</summary>
    public override string ToString() => $"OpenTsdbClient({Protocol.ToString().ToLowerInvariant()}://{Endpoint})";

    private string Endpoint => $"{_host}:{_port.ToString(CultureInfo.InvariantCulture)}";

    private OpenTsdbPoint CreatePoint(string metric, double value, IReadOnlyDictionary<string, string> tags, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        ArgumentNullException.ThrowIfNull(tags);
        if (timestamp < DateTimeOffset.UnixEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "OpenTSDB timestamps start at 1970-01-01.");
        }

        var pointTags = new List<KeyValuePair<string, string>>(tags.Count);
        foreach (var (key, tagValue) in tags)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("A tag key must not be null or empty.", nameof(tags));
            }

            if (!string.IsNullOrEmpty(tagValue))
            {
                pointTags.Add(new(OpenTsdbNames.Sanitize(key), OpenTsdbNames.Sanitize(tagValue)));
            }
        }

        pointTags.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new OpenTsdbPoint(OpenTsdbNames.Sanitize(metric), value, pointTags.Count == 0 ? _fallbackTags : [.. pointTags], 0);
    }

    /// <summary>Series are remembered for a minute after their last point: long enough to catch every collision.</summary>
    private SeriesClock SeriesClockOfProtocol() =>
        LazyInitializer.EnsureInitialized(ref _seriesClock, () => new SeriesClock(Protocol == OpenTsdbProtocol.Http ? 60_000 : 60));

    /// <summary>
    /// A point that cannot be written as it is: counted as dropped, logged the first time for its
    /// series.
    /// </summary>
    private void Skip(OpenTsdbPoint point, string reason)
    {
        if (CountSkipped(point.SeriesKey))
        {
            OpenTsdbLog.PointSkipped(Logger, Endpoint, point.Metric, point.SeriesKey, reason);
        }
    }

    /// <summary>The writer, started on the first point (the settings are fixed by then).</summary>
    private PointWriter<OpenTsdbPoint> Start() => _writer.Get(() =>
    {
        IPointTransport<OpenTsdbPoint> transport = Protocol == OpenTsdbProtocol.Http
            ? new HttpTransport(_host, _port, ConnectTimeout)
            : TelnetTransport.Create(_host, _port, ConnectTimeout, Logger);
        var settings = WriterSettings("OpenTSDB client", Endpoint, MaxBatchSize);
        return new PointWriter<OpenTsdbPoint>(settings, transport, Counters);
    });
}
