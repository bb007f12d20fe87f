using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Metrix.Sinks.Writing;

namespace Metrix;

/// <summary>
/// Posts batches of lines to InfluxDB's <c>/write</c> (1.x) or <c>/api/v2/write</c> (2.x) with
/// <c>precision=ms</c>. A 4xx is a refusal: resending would not help (a partial write stores the
/// good lines and says how many it dropped); anything else is retried.
/// </summary>
internal sealed partial class InfluxHttpTransport : IPointTransport<string>
{
    private static readonly MediaTypeHeaderValue PlainText = new("text/plain") { CharSet = "utf-8" };
    private readonly HttpClient _http;
    private readonly string _path;

    public InfluxHttpTransport(Uri url, string path, string? token, TimeSpan timeout)
    {
        _http = new HttpClient { BaseAddress = url, Timeout = timeout };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", token);
        }

        _path = path;
    }

    public async Task WriteAsync(IReadOnlyList<string> points, CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        foreach (var line in points)
        {
            body.Append(line).Append('\n');
        }

        using var content = new StringContent(body.ToString(), Encoding.UTF8);
        content.Headers.ContentType = PlainText;
        using var response = await _http.PostAsync(_path, content, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode is >= 400 and < 500 && response.StatusCode != HttpStatusCode.RequestTimeout && response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            var reply = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var dropped = DroppedCount().Match(reply);
            throw new PointsRejectedException(
                $"HTTP {(int)response.StatusCode}: {reply.Trim()}",
                dropped.Success && int.TryParse(dropped.Groups[1].ValueSpan, out var count) ? Math.Min(count, points.Count) : null);
        }

        response.EnsureSuccessStatusCode();
    }

    public ValueTask ResetAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>InfluxDB's partial write reply ends with <c>dropped=N</c>: the other lines were stored.</summary>
    [GeneratedRegex(@"dropped=(\d+)")]
    private static partial Regex DroppedCount();
}
