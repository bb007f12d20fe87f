using System.Net;
using System.Net.Http.Headers;
using Metrix.Sinks.Writing;

namespace Metrix;

/// <summary>
/// One remote-write request per batch. A 4xx (out of order, out of bounds, a duplicate sample) is a
/// refusal: the server rolled the whole request back, and resending would not help; a 5xx or a
/// connection failure is retried.
/// </summary>
internal sealed class RemoteWriteTransport : IPointTransport<RemoteWriteSample>
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private readonly HttpClient _http;
    private readonly Uri _url;

    public RemoteWriteTransport(Uri url, TimeSpan timeout)
    {
        _http = new HttpClient { Timeout = timeout };
        _http.DefaultRequestHeaders.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        _url = url;
    }

    public async Task WriteAsync(IReadOnlyList<RemoteWriteSample> points, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(RemoteWriteEncoding.Encode(points));
        content.Headers.ContentType = Protobuf;
        content.Headers.ContentEncoding.Add("snappy");
        using var response = await _http.PostAsync(_url, content, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode is >= 400 and < 500 && response.StatusCode != HttpStatusCode.RequestTimeout && response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            var reply = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new PointsRejectedException($"HTTP {(int)response.StatusCode}: {reply.Trim()}");
        }

        response.EnsureSuccessStatusCode();
    }

    public ValueTask ResetAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
