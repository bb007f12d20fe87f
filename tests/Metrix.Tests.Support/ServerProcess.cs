using System.Diagnostics;

namespace Metrix.Tests.Support;

/// <summary>The process side of the real servers the tests start on loopback: find, start, wait for, stop, clean up.</summary>
public static class ServerProcess
{
    public static readonly TimeSpan StartBound = TimeSpan.FromSeconds(15);

    /// <summary>Whether <paramref name="binary"/> is on PATH.</summary>
    public static bool IsOnPath(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, binary)));

    /// <summary>Starts the server (its output read and discarded) and waits until <paramref name="ready"/> says so.</summary>
    public static async Task<Process> StartAsync(ProcessStartInfo start, Func<Task<bool>> ready)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartBound;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{start.FileName} exited with code {process.ExitCode} at start.");
            }

            try
            {
                if (await ready())
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{start.FileName} was not ready within {StartBound}.");
    }

    /// <summary>Stops the server with SIGTERM, as a service manager would, and waits for it to exit (killing it past the bound).</summary>
    public static async Task StopAsync(Process? process)
    {
        if (process is not { HasExited: false })
        {
            return;
        }

        Signals.Terminate(process.Id);
        using var bound = new CancellationTokenSource(StartBound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Deletes a server's temporary data directory, if it can.</summary>
    public static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory; the OS cleans it eventually.
        }
    }
}
