using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Metrix.Tests.Support;

/// <summary>One point read back from the server.</summary>
public sealed record StoredPoint(string Metric, IReadOnlyDictionary<string, string> Tags, double Value, long TimestampMs);

/// <summary>
/// A real VictoriaMetrics server (Debian's <c>victoria-metrics</c>) on loopback, speaking OpenTSDB's
/// telnet <c>put</c> and HTTP <c>/api/put</c> on <see cref="OpenTsdbPort"/>, read back over
/// <see cref="HttpPort"/>. Started with a temporary data directory; can be stopped and restarted
/// on the same ports and data, as a restarted production server would be.
/// </summary>
public sealed class VictoriaMetricsServer : IAsyncDisposable
{
    public const string Binary = "victoria-metrics";
    private readonly HttpClient _http;
    private Process? _process;

    private VictoriaMetricsServer(int httpPort, int openTsdbPort, string dataPath)
    {
        HttpPort = httpPort;
        OpenTsdbPort = openTsdbPort;
        GraphitePort = FreePort();
        DataPath = dataPath;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int HttpPort { get; }

    public int OpenTsdbPort { get; }

    /// <summary>Graphite's plaintext protocol; <c>;k=v</c> tags become labels.</summary>
    public int GraphitePort { get; }

    public string DataPath { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Whether the binary is on PATH.</summary>
    public static bool IsInstalled() => ServerProcess.IsOnPath(Binary);

    /// <summary>Picks free ports and a fresh data directory; starts the server unless told not to.</summary>
    public static async Task<VictoriaMetricsServer> CreateAsync(bool start = true)
    {
        var server = new VictoriaMetricsServer(FreePort(), FreePort(), Directory.CreateTempSubdirectory("metrix-vm-").FullName);
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
            throw new InvalidOperationException(
                $"'{Binary}' is not on PATH. Install it (apt-get install -y victoria-metrics); .ci/run does.");
        }

        var start = new ProcessStartInfo(Binary);
        foreach (var argument in new[]
        {
            $"-storageDataPath={DataPath}",
            $"-httpListenAddr=127.0.0.1:{HttpPort}",
            $"-opentsdbListenAddr=127.0.0.1:{OpenTsdbPort}",
            $"-graphiteListenAddr=127.0.0.1:{GraphitePort}",
            "-search.latencyOffset=0s",
            "-retentionPeriod=100y",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = await ServerProcess.StartAsync(start, async () =>
        {
            using var health = await _http.GetAsync("health");
            return health.IsSuccessStatusCode && await TelnetPortAcceptsAsync();
        });
    }

    /// <summary>Stops the server with SIGTERM, as a service manager would, and waits for it to exit.</summary>
    public Task StopAsync() => ServerProcess.StopAsync(_process);

    /// <summary>Every stored point of <paramref name="metric"/>, after making fresh writes visible.</summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadAsync(string metric)
    {
        (await _http.GetAsync("internal/force_flush")).EnsureSuccessStatusCode();
        var body = await _http.GetStringAsync($"api/v1/export?match[]={Uri.EscapeDataString(metric)}");
        var points = new List<StoredPoint>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var series = JsonDocument.Parse(line);
            var labels = series.RootElement.GetProperty("metric").EnumerateObject()
                .Where(p => p.Name != "__name__")
                .ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var values = series.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
            var times = series.RootElement.GetProperty("timestamps").EnumerateArray().Select(t => t.GetInt64()).ToList();
            points.AddRange(values.Select((v, i) => new StoredPoint(metric, labels, v, times[i])));
        }

        return [.. points.OrderBy(p => p.TimestampMs).ThenBy(p => string.Join(',', p.Tags.OrderBy(t => t.Key)))];
    }

    /// <summary>
    /// Reads until at least <paramref name="count"/> points are stored or the bound passes: the
    /// server processes telnet lines after the write returns, so visibility takes a moment.
    /// </summary>
    public Task<IReadOnlyList<StoredPoint>> WaitForAsync(string metric, int count, TimeSpan? bound = null) =>
        Poll.ReadUntilAsync(() => ReadAsync(metric), count, bound);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _http.Dispose();
        ServerProcess.DeleteDirectory(DataPath);
    }

    private async Task<bool> TelnetPortAcceptsAsync()
    {
        using var probe = new TcpClient();
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, OpenTsdbPort);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"victoria-metrics on {OpenTsdbPort}/{HttpPort}");
}
