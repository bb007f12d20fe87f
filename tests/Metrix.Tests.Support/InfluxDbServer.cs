using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Metrix.Tests.Support;

/// <summary>
/// A real InfluxDB 1.x server (Debian's <c>influxdb</c>, <c>influxd</c>) on loopback with a fresh
/// data directory and one database; can be stopped and started again on the same ports and data.
/// </summary>
public sealed class InfluxDbServer : IAsyncDisposable
{
    public const string Binary = "influxd";
    public const string Database = "metrix";
    private readonly HttpClient _http;
    private readonly int _bindPort;
    private Process? _process;

    private InfluxDbServer(int httpPort, int bindPort, string dataPath)
    {
        HttpPort = httpPort;
        _bindPort = bindPort;
        DataPath = dataPath;
        Url = new Uri($"http://127.0.0.1:{httpPort}/");
        _http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
    }

    public int HttpPort { get; }

    public Uri Url { get; }

    public string DataPath { get; }

    public static bool IsInstalled() => ServerProcess.IsOnPath(Binary);

    /// <summary>Picks free ports and a fresh data directory; starts the server (with its database) unless told not to.</summary>
    public static async Task<InfluxDbServer> CreateAsync(bool start = true)
    {
        var server = new InfluxDbServer(VictoriaMetricsServer.FreePort(), VictoriaMetricsServer.FreePort(), Directory.CreateTempSubdirectory("metrix-influx-").FullName);
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
            throw new InvalidOperationException($"'{Binary}' is not on PATH. Install it (apt-get install -y influxdb); .ci/run does.");
        }

        var start = new ProcessStartInfo(Binary);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("-config");
        start.ArgumentList.Add("/dev/null");
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["INFLUXDB_REPORTING_DISABLED"] = "true",
            ["INFLUXDB_BIND_ADDRESS"] = $"127.0.0.1:{_bindPort}",
            ["INFLUXDB_META_DIR"] = Path.Combine(DataPath, "meta"),
            ["INFLUXDB_DATA_DIR"] = Path.Combine(DataPath, "data"),
            ["INFLUXDB_DATA_WAL_DIR"] = Path.Combine(DataPath, "wal"),
            ["INFLUXDB_HTTP_BIND_ADDRESS"] = $"127.0.0.1:{HttpPort}",
            ["INFLUXDB_HTTP_LOG_ENABLED"] = "false",
            ["INFLUXDB_MONITOR_STORE_ENABLED"] = "false",
        })
        {
            start.Environment[key] = value;
        }

        _process = await ServerProcess.StartAsync(start, async () =>
        {
            using var ping = await _http.GetAsync("ping");
            return ping.IsSuccessStatusCode;
        });
        await QueryAsync($"CREATE DATABASE {Database}", database: null);
    }

    public Task StopAsync() => ServerProcess.StopAsync(_process);

    /// <summary>Every stored point of <paramref name="measurement"/>: its tags, value and time in milliseconds.</summary>
    public async Task<IReadOnlyList<StoredPoint>> ReadAsync(string measurement)
    {
        var quoted = "\"" + measurement.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        using var reply = JsonDocument.Parse(await QueryAsync($"SELECT * FROM {quoted}", Database));
        var points = new List<StoredPoint>();
        foreach (var result in reply.RootElement.GetProperty("results").EnumerateArray())
        {
            if (!result.TryGetProperty("series", out var series))
            {
                continue;
            }

            foreach (var serie in series.EnumerateArray())
            {
                var columns = serie.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
                foreach (var row in serie.GetProperty("values").EnumerateArray())
                {
                    var cells = row.EnumerateArray().ToList();
                    var tags = new Dictionary<string, string>();
                    double value = double.NaN;
                    long time = 0;
                    for (var i = 0; i < columns.Count; i++)
                    {
                        switch (columns[i])
                        {
                            case "time":
                                time = cells[i].GetInt64();
                                break;
                            case "value":
                                value = cells[i].GetDouble();
                                break;
                            default:
                                if (cells[i].ValueKind == JsonValueKind.String)
                                {
                                    tags[columns[i]] = cells[i].GetString()!;
                                }

                                break;
                        }
                    }

                    points.Add(new StoredPoint(measurement, tags, value, time));
                }
            }
        }

        return [.. points.OrderBy(p => p.TimestampMs).ThenBy(p => string.Join(',', p.Tags.OrderBy(t => t.Key)))];
    }

    /// <summary>Writes raw lines, as another writer of the same database would.</summary>
    public async Task WriteLinesAsync(string lines)
    {
        using var response = await _http.PostAsync($"write?db={Database}&precision=ms", new StringContent(lines));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Reads until at least <paramref name="count"/> points are stored or the bound passes.</summary>
    public Task<IReadOnlyList<StoredPoint>> WaitForAsync(string measurement, int count, TimeSpan? bound = null) =>
        Poll.ReadUntilAsync(() => ReadAsync(measurement), count, bound);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _http.Dispose();
        ServerProcess.DeleteDirectory(DataPath);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"influxd on {HttpPort}");

    private async Task<string> QueryAsync(string query, string? database)
    {
        var url = $"query?epoch=ms&q={Uri.EscapeDataString(query)}" + (database is null ? string.Empty : $"&db={database}");
        using var response = await _http.PostAsync(url, content: null);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"InfluxDB query failed: {body}");
    }
}
