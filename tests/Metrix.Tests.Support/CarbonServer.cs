using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Metrix.Tests.Support;

/// <summary>
/// A real Graphite carbon-cache (Debian's <c>graphite-carbon</c>) on loopback with a fresh storage
/// directory, storing one point per second for an hour; read back with <c>whisper-fetch</c>.
/// </summary>
public sealed class CarbonServer : IAsyncDisposable
{
    public const string Binary = "carbon-cache";
    private Process? _process;

    private CarbonServer(string root)
    {
        Root = root;
        LinePort = VictoriaMetricsServer.FreePort();
    }

    public string Root { get; }

    public int LinePort { get; }

    public static bool IsInstalled() => ServerProcess.IsOnPath(Binary) && ServerProcess.IsOnPath("whisper-fetch");

    public static async Task<CarbonServer> CreateAsync()
    {
        var server = new CarbonServer(Directory.CreateTempSubdirectory("metrix-carbon-").FullName);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (!IsInstalled())
        {
            throw new InvalidOperationException("'carbon-cache' or 'whisper-fetch' is not on PATH. Install them (apt-get install -y graphite-carbon python3-whisper); .ci/run does.");
        }

        var conf = Directory.CreateDirectory(Path.Combine(Root, "conf")).FullName;
        foreach (var dir in new[] { "storage", "whisper", "lists", "log", "run" })
        {
            Directory.CreateDirectory(Path.Combine(Root, dir));
        }

        await File.WriteAllTextAsync(Path.Combine(conf, "carbon.conf"), string.Create(CultureInfo.InvariantCulture, $"""
            [cache]
            STORAGE_DIR = {Root}/storage
            LOCAL_DATA_DIR = {Root}/whisper
            WHITELISTS_DIR = {Root}/lists
            CONF_DIR = {conf}
            LOG_DIR = {Root}/log
            PID_DIR = {Root}/run
            USER =
            MAX_CACHE_SIZE = inf
            MAX_CREATES_PER_MINUTE = inf
            MAX_UPDATES_PER_SECOND = inf
            LINE_RECEIVER_INTERFACE = 127.0.0.1
            LINE_RECEIVER_PORT = {LinePort}
            ENABLE_UDP_LISTENER = False
            PICKLE_RECEIVER_INTERFACE = 127.0.0.1
            PICKLE_RECEIVER_PORT = {VictoriaMetricsServer.FreePort()}
            CACHE_QUERY_INTERFACE = 127.0.0.1
            CACHE_QUERY_PORT = {VictoriaMetricsServer.FreePort()}
            ENABLE_TAGS = False
            LOG_UPDATES = False
            """));
        await File.WriteAllTextAsync(Path.Combine(conf, "storage-schemas.conf"), "[default]\npattern = .*\nretentions = 1s:1h,1m:1d\n");

        var start = new ProcessStartInfo(Binary);
        foreach (var argument in new[] { $"--config={conf}/carbon.conf", $"--pidfile={Root}/carbon.pid", "--nodaemon", "start" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = await ServerProcess.StartAsync(start, async () =>
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, LinePort);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        });
    }

    /// <summary>
    /// The values stored per second for the tagged series <paramref name="series"/> (<c>name;k=v</c>,
    /// tags sorted), which carbon keeps under <c>_tagged/h[0:3]/h[3:6]/h.wsp</c> (h = its SHA-256);
    /// waits until <paramref name="count"/> are there or the bound passes.
    /// </summary>
    public async Task<IReadOnlyList<(long Seconds, double Value)>> WaitForAsync(string series, DateTimeOffset from, int count)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(series)));
        var file = Path.Combine(Root, "whisper", "_tagged", hash[..3], hash[3..6], hash + ".wsp");
        return await Poll.ReadUntilAsync<(long Seconds, double Value)>(
            async () => File.Exists(file) ? await FetchAsync(file, from) : [], count);
    }

    public async ValueTask DisposeAsync()
    {
        await ServerProcess.StopAsync(_process);
        _process?.Dispose();
        ServerProcess.DeleteDirectory(Root);
    }

    private static async Task<List<(long, double)>> FetchAsync(string file, DateTimeOffset from)
    {
        var fetch = new ProcessStartInfo("whisper-fetch") { RedirectStandardOutput = true, RedirectStandardError = true };
        fetch.ArgumentList.Add("--json");
        fetch.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--from={from.ToUnixTimeSeconds() - 1}"));
        fetch.ArgumentList.Add(file);
        using var process = Process.Start(fetch)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        using var json = JsonDocument.Parse(output);
        var start = json.RootElement.GetProperty("start").GetInt64();
        var step = json.RootElement.GetProperty("step").GetInt64();
        return [.. json.RootElement.GetProperty("values").EnumerateArray()
            .Select((v, i) => (Seconds: start + (i * step), Value: v))
            .Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .Select(p => (p.Seconds, p.Value.GetDouble()))];
    }
}
