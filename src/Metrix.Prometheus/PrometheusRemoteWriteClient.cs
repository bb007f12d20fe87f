using System.Globalization;
using Metrix.Sinks.Writing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metrix;

/// <summary>
/// Writes data points with Prometheus remote write 1.0 (protobuf, block snappy) to Prometheus
/// (<c>--web.enable-remote-write-receiver</c>), VictoriaMetrics, Mimir, Thanos or any receiver,
/// from a bounded buffer, one request per batch, reconnecting with backoff and resending what it
/// could not write.
/// </summary>
/// <example>
/// <code>
/// MSinks = { new MSinkTSDB(new PrometheusRemoteWriteClient { Url = new Uri("http://prometheus:9090/api/v1/write") }) { OwnsClient = true } },
/// </code>
/// </example>
/// <remarks>
/// <para>Each point is a sample of the series <c>{__name__="name", tags…}</c> at its window's
/// timestamp in milliseconds. Names are made legal (<c>wc.mean</c> becomes <c>wc_mean</c>; label
/// names lose other characters too and may not start with <c>__</c>); label values stay exact. When
/// two tags become the same label name, the first (by original name) is kept. Labels are sent sorted.</para>
/// <para>Values the client does not send (NaN, which Prometheus reserves for staleness markers, and
/// infinities) are skipped, counted in <see cref="TsdbClientStatistics.Dropped"/> and logged once
/// per series. A request the server refuses (a 4xx: a sample out of order or older than the head
/// block, a duplicate) is logged with the server's message and counted, never retried; connection
/// failures and 5xx are retried with exponential backoff and jitter.</para>
/// <para>Configure with an object initializer before the first send. Thread-safe.</para>
/// </remarks>
public sealed class PrometheusRemoteWriteClient : BufferedTsdbClient
{
    private const int MaxBatchSize = 2_000;

    private readonly LazyPointWriter<RemoteWriteSample> _writer;

    /// <summary>Creates a client; configure it with an object initializer.</summary>
    public PrometheusRemoteWriteClient() => _writer = new(this);

    /// <summary>The receiver's remote-write address, e.g. <c>http://prometheus:9090/api/v1/write</c>. Required.</summary>
    public Uri? Url { get; init; }

    /// <summary>Buffers one point measured at <paramref name="timestamp"/>.</summary>
    /// <param name="metric">The metric name; made legal for Prometheus.</param>
    /// <param name="value">The value; a NaN or an infinity is skipped (counted and logged once per series).</param>
    /// <param name="tags">The tags, as labels; empty values are left out.</param>
    /// <param name="timestamp">When the value was measured (written in milliseconds).</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty, or a tag key is empty.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Url"/> is missing.</exception>
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
        var labels = Labels(metric, tags);
        var series = string.Join(',', labels.Select(l => l.Key + "=\"" + l.Value + "\""));
        if (!double.IsFinite(value))
        {
            if (CountSkipped(series))
            {
                PrometheusLog.PointSkipped(Logger, Endpoint, series, $"the client sends finite numbers only, and the value is {value.ToString(CultureInfo.InvariantCulture)}");
            }

            return;
        }

        writer.Enqueue(new RemoteWriteSample(series, labels, value, timestamp.ToUnixTimeMilliseconds()), metric);
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>Describes the client for logs and <see cref="MCoordinator.ToString"/>.</summary>
    public override string ToString() => $"PrometheusRemoteWriteClient({Endpoint})";

    private string Endpoint => Url?.ToString() ?? "(no Url)";

    /// <summary>The series' labels: <c>__name__</c> and the tags, names made legal, first of equal names kept, sorted by name.</summary>
    private static KeyValuePair<string, string>[] Labels(string metric, IReadOnlyDictionary<string, string> tags)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["__name__"] = PrometheusNames.Metric(metric) };
        foreach (var (key, value) in tags.Where(t => t.Value.Length > 0).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            labels.TryAdd(PrometheusNames.Label(key), value);
        }

        return [.. labels];
    }

    private PointWriter<RemoteWriteSample> Start() => _writer.Get(() =>
    {
        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException("PrometheusRemoteWriteClient needs Url: the receiver's absolute http(s) address, e.g. http://prometheus:9090/api/v1/write.");
        }

        var settings = WriterSettings("Prometheus remote-write client", Endpoint, MaxBatchSize);
        return new PointWriter<RemoteWriteSample>(settings, new RemoteWriteTransport(Url, ConnectTimeout), Counters);
    });
}
