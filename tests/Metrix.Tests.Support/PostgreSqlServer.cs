using System.Diagnostics;
using Npgsql;

namespace Metrix.Tests.Support;

/// <summary>
/// A real PostgreSQL 15 (preinstalled under /usr/lib/postgresql/15/bin) on loopback with a fresh
/// cluster in a temporary directory, run as the <c>postgres</c> user when the tests run as root
/// (PostgreSQL refuses root); can be stopped and started again on the same port and data.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private PostgreSqlServer(string root)
    {
        Root = root;
        Port = VictoriaMetricsServer.FreePort();
    }

    public string Root { get; }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    public static bool IsInstalled() => File.Exists(Path.Combine(BinDirectory, "pg_ctl"));

    public static async Task<PostgreSqlServer> CreateAsync(bool start = true)
    {
        var server = new PostgreSqlServer(Directory.CreateTempSubdirectory("metrix-pg-").FullName);
        Directory.CreateDirectory(Path.Combine(server.Root, "sock"));
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "-R", "postgres", server.Root);
        }

        await AsPostgresAsync("initdb", "-D", server.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        if (start)
        {
            await server.StartAsync();
        }

        return server;
    }

    private string Data => Path.Combine(Root, "data");

    public Task StartAsync() => AsPostgresAsync(
        "pg_ctl", "-D", Data, "-l", Path.Combine(Root, "log"), "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {Root}/sock -c fsync=off", "-w", "start");

    public Task StopAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");

    /// <summary>Runs a query and returns its rows as arrays of values.</summary>
    public async Task<IReadOnlyList<object[]>> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        ServerProcess.DeleteDirectory(Root);
    }

    private static Task AsPostgresAsync(string tool, params string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, tool), .. args])
            : RunAsync(Path.Combine(BinDirectory, tool), args);

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(ServerProcess.StartBound);
        await process.WaitForExitAsync(bound.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
