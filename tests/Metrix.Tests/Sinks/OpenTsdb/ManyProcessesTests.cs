using System.Diagnostics;
using System.Globalization;
using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks.OpenTsdb;

/// <summary>
/// Three processes (samples/Databases, not three coordinators in one process), each with its own
/// <c>instance</c> common tag, write windows of the same metrics into one real server: the
/// database's sum over instances is exactly what the three sent.
/// </summary>
public sealed class ManyProcessesTests
{
    [VictoriaMetricsFact]
    public async Task Three_processes_write_one_metric_and_the_sum_over_their_instances_is_exact()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        int[] articles = [300, 600, 900];

        var exits = await Task.WhenAll(articles.Select((count, i) => RunSampleAsync(
            "opentsdb", $"127.0.0.1:{server.OpenTsdbPort}", "--instance", $"web-{i + 1}", "--articles", count.ToString(CultureInfo.InvariantCulture))));

        exits.Should().OnlyContain(exit => exit.Code == 0, string.Join('\n', exits.Select(e => e.Output)));
        var sums = await WaitForSumAsync(server, "n_articles.sum", articles.Sum());
        sums.GroupBy(p => p.Tags["instance"]).ToDictionary(g => g.Key, g => g.Sum(p => p.Value)).Should().Equal(new Dictionary<string, double>
        {
            ["web-1"] = 300,
            ["web-2"] = 600,
            ["web-3"] = 900,
        });
        (await WaitForSumAsync(server, "wc.count", articles.Sum())).Sum(p => p.Value).Should().Be(articles.Sum());
    }

    private static async Task<IReadOnlyList<StoredPoint>> WaitForSumAsync(VictoriaMetricsServer server, string metric, double expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        IReadOnlyList<StoredPoint> points = [];
        while (DateTime.UtcNow < deadline)
        {
            points = await server.ReadAsync(metric);
            if (points.Sum(p => p.Value) >= expected)
            {
                break;
            }

            await Task.Delay(100);
        }

        points.Sum(p => p.Value).Should().Be(expected, $"the sum of {metric} over all instances and windows");
        return points;
    }

    /// <summary>Runs the built samples/Databases in a process of its own.</summary>
    private static async Task<(int Code, string Output)> RunSampleAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(SamplePath());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>samples/Databases' build output, in the configuration this test was built in.</summary>
    private static string SamplePath()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name; // bin/<Configuration>/net10.0/
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Metrix.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root!.FullName, "samples", "Databases", "bin", configuration, here.Name, "Databases.dll");
    }
}
