using System.Globalization;
using Metrix.Sinks.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metrix;

/// <summary>
/// Writes data points to InfluxDB with its line protocol over HTTP: 1.x's <c>/write?db=</c>
/// (set <see cref="Database"/>) or 2.x's <c>/api/v2/write</c> (set <see cref="Org"/>,
/// <see cref="Bucket"/> and <see cref="Token"/>), from a bounded buffer, reconnecting with backoff
/// and resending what it could not write.
/// </summary>
/// <example>
/// <code>
/// await using var mc = new MCoordinator
/// {
///     MStreams = { new MStream("latency") { Agg = { MAgg.Mean }, WindowSize = TimeSpan.FromSeconds(10) } },
///     MSinks = { new MSinkTSDB(new InfluxDbClient { Url = new Uri("http://influx:8086"), Database = "metrics" }) { OwnsClient = true } },
/// };
/// </code>
/// </example>
/// <remarks>
/// <para>Each point is one line: measurement = the element's name, its tags, one field
/// <c>value</c>, and its timestamp in milliseconds (<c>precision=ms</c> is stated on every write).
/// Names and tags are kept exact: commas, spaces and equals signs are escaped. What the protocol
/// cannot carry is replaced: a line break becomes a space, a trailing backslash becomes <c>_</c>;
/// tags with an empty value are left out.</para>
/// <para>Values InfluxDB cannot store (NaN, infinities) are skipped, counted in
/// <see cref="TsdbClientStatistics.Dropped"/> and logged once per series (up to 10,000 series),
/// never thrown. A write the server refuses (a 4xx: a bad line, an unknown database, no
/// authorization) is logged with the server's message and counted, never retried; a partial write
/// stores the good lines, and only those it dropped are counted. Connection failures and 5xx are
/// retried with exponential backoff and jitter.</para>
/// <para>Configure with an object initializer before the first send. Thread-safe.</para>
/// </remarks>
public sealed class InfluxDbClient : BufferedTsdbClient
{
    private const int MaxBatchSize = 5_000;

    private readonly LazyPointWriter<string> _writer;

    /// <summary>Creates a client; configure it with an object initializer.</summary>
    public InfluxDbClient() => _writer = new(this);

    /// <summary>The server's base address, e.g. <c>http://influx:8086</c>. Required.</summary>
    public Uri? Url { get; init; }

    /// <summary>The database of InfluxDB 1.x (<c>/write?db=</c>). Set this, or <see cref="Bucket"/> and <see cref="Org"/> for 2.x.</summary>
    public string? Database { get; init; }

    /// <summary>The organization of InfluxDB 2.x (<c>/api/v2/write?org=</c>).</summary>
    public string? Org { get; init; }

    /// <summary>The bucket of InfluxDB 2.x (<c>/api/v2/write?bucket=</c>).</summary>
    public string? Bucket { get; init; }

    /// <summary>The API token of InfluxDB 2.x, sent as <c>Authorization: Token …</c>; optional for 1.x.</summary>
    public string? Token { get; init; }

    /// <summary>Buffers one point measured at <paramref name="timestamp"/>.</summary>
    /// <param name="metric">The measurement name.</param>
    /// <param name="value">The value; a NaN or an infinity is skipped (counted and logged once per series).</param>
    /// <param name="tags">The tags; empty values are left out.</param>
    /// <param name="timestamp">When the value was measured (written in milliseconds).</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty, or a tag key is empty.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Url"/>, or both <see cref="Database"/> and <see cref="Bucket"/>, are missing.</exception>
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
        var (line, series) = InfluxLineProtocol.Encode(metric, value, tags, timestamp.ToUnixTimeMilliseconds());
        if (!double.IsFinite(value))
        {
            if (CountSkipped(series))
            {
                InfluxDbLog.PointSkipped(Logger, Endpoint, series, $"InfluxDB stores finite numbers only, and the value is {value.ToString(CultureInfo.InvariantCulture)}");
            }

            return;
        }

        writer.Enqueue(line, metric);
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>Describes the client for logs and <see cref="MCoordinator.ToString"/>.</summary>
    public override string ToString() => $"InfluxDbClient({Endpoint})";

    private string Endpoint => Url is null ? "(no Url)" : $"{Url.GetLeftPart(UriPartial.Authority)} {(Bucket is null ? "db=" + Database : "bucket=" + Bucket)}";

    /// <summary>The writer, started on the first point, once the settings are checked.</summary>
    private PointWriter<string> Start() => _writer.Get(() =>
    {
        var transport = new InfluxHttpTransport(Url!, WritePath(), Token, ConnectTimeout);
        var settings = WriterSettings("InfluxDB client", Endpoint, MaxBatchSize);
        return new PointWriter<string>(settings, transport, Counters);
    });

    /// <exception cref="InvalidOperationException">A required setting is missing or contradictory.</exception>
    private string WritePath()
    {
        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException("InfluxDbClient needs Url: the server's absolute http(s) base address, e.g. http://influx:8086.");
        }

        if (Bucket is not null)
        {
            if (string.IsNullOrEmpty(Org) || Database is not null)
            {
                throw new InvalidOperationException("InfluxDbClient for InfluxDB 2.x needs Org with Bucket (and no Database); for 1.x set Database only.");
            }

            return $"api/v2/write?org={Uri.EscapeDataString(Org)}&bucket={Uri.EscapeDataString(Bucket)}&precision=ms";
        }

        return string.IsNullOrEmpty(Database)
            ? throw new InvalidOperationException("InfluxDbClient needs Database (InfluxDB 1.x) or Org and Bucket (2.x).")
            : $"write?db={Uri.EscapeDataString(Database)}&precision=ms";
    }
}
