using System.Net.Http.Headers;
using System.Text.Json;
using Metrix.Sinks.Writing;

namespace Metrix;

/// <summary>JSON batches posted to <c>/api/put</c>; a batch is written when the server answers with success.</summary>
internal sealed class HttpTransport : IPointTransport<OpenTsdbPoint>
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    public HttpTransport(string host, int port, TimeSpan timeout)
    {
        _http = new HttpClient { BaseAddress = new UriBuilder("http", host, port).Uri, Timeout = timeout };
    }


    public async Task WriteAsync(IReadOnlyList<OpenTsdbPoint> points, CancellationToken cancellationToken)
    {
        using var body = new ByteArrayContent(Serialize(points));
        body.Headers.ContentType = Json;
        using var response = await _http.PostAsync("api/put", body, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            var reason = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new PointsRejectedException($"HTTP {(int)response.StatusCode}: {reason}");
        }

        response.EnsureSuccessStatusCode();
    }

    public ValueTask ResetAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static byte[] Serialize(IReadOnlyList<OpenTsdbPoint> points)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var point in points)
            {
                json.WriteStartObject();
                json.WriteString("metric", point.Metric);
                json.WriteNumber("timestamp", point.Timestamp);
                json.WriteNumber("value", point.Value);
                json.WriteStartObject("tags");
                foreach (var tag in point.Tags)
                {
                    json.WriteString(tag.Key, tag.Value);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
