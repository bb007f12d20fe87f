using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Metrix.Tests.Support;

/// <summary>A real Prometheus (Debian's <c>prometheus</c>) on loopback with a fresh data directory and its remote-write receiver on.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "prometheus";
    private readonly HttpClient _http;
    private Process? _process;

    private PrometheusServer(string root)
    {
        Root = root;
        Port = VictoriaMetricsServer.FreePort();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Root { get; }

    public int Port { get; }

    public Uri RemoteWriteUrl => new($"http://127.0.0.1:{Port}/api/v1/write");

    public static bool IsInstalled() => ServerProcess.IsOnPath(Binary);

    public static async Task<PrometheusServer> CreateAsync(bool start = true)
    {
        var server = new PrometheusServer(Directory.CreateTempSubdirectory("metrix-prometheus-").FullName);
        if (start)
        {
            await server.StartAsync();
        }

        return server;
    }

    public async Task StartAsync()
    {
        if (!IsInstalled())
        {
            throw new InvalidOperationException($"'{Binary}' is not on PATH. Install it (apt-get install -y prometheus); .ci/run does.");
        }

        var config = Path.Combine(Root, "prometheus.yml");
        await File.WriteAllTextAsync(config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
        var start = new ProcessStartInfo(Binary);
        foreach (var argument in new[]
        {
            $"--config.file={config}",
            $"--storage.tsdb.path={Root}/data",
            $"--web.listen-address=127.0.0.1:{Port}",
            "--web.enable-remote-write-receiver",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = await ServerProcess.StartAsync(start, async () =>
        {
            using var ready = await _http.GetAsync("-/ready");
            return ready.IsSuccessStatusCode;
        });
    }

    public Task StopAsync() => ServerProcess.StopAsync(_process);

    /// <summary>Every raw sample of <paramref name="metric"/> in the last hour: labels, value, milliseconds.</summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadAsync(string metric)
    {
        using var reply = JsonDocument.Parse(await _http.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString(metric + "[1h]")}"));
        var points = new List<StoredPoint>();
        foreach (var series in reply.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = series.GetProperty("metric").EnumerateObject().Where(l => l.Name != "__name__").ToDictionary(l => l.Name, l => l.Value.GetString()!);
            foreach (var sample in series.GetProperty("values").EnumerateArray())
            {
                var seconds = sample[0].GetDouble();
                var value = double.Parse(sample[1].GetString()!, CultureInfo.InvariantCulture);
                points.Add(new StoredPoint(metric, labels, value, (long)Math.Round(seconds * 1000)));
            }
        }

        return [.. points.OrderBy(p => p.TimestampMs).ThenBy(p => string.Join(',', p.Tags.OrderBy(t => t.Key)))];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _http.Dispose();
        ServerProcess.DeleteDirectory(Root);
    }
}
