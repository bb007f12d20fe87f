// Uses the packages as a user would and checks what it gets; exits non-zero if anything is off.
using System.Reflection;
using Metrix;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var output = new StringWriter { NewLine = "\n" };
var builder = Host.CreateApplicationBuilder();
builder.Services.AddMetrix(mc =>
{
    mc.AddMStream(new MStream("wc") { Agg = { MAgg.Sum, MAgg.Mean }, WindowSize = TimeSpan.FromHours(1) });
    mc.AddMSink(new MSinkPrinter(output));
});

using (var host = builder.Build())
{
    await host.StartAsync();
    var mc = host.Services.GetRequiredService<MCoordinator>();
    mc.Send("wc", 100);
    mc.Send("wc", 240.4);
    mc.Send("wc", 1, ("section", "sports"));
    var sports = mc.Series("wc", ("section", "sports"));
    sports.Send(2);
    await host.StopAsync();
}

const string Expected =
    "MElement(name='wc.sum', value=340.4, tags=None)\n" +
    "MElement(name='wc.sum', value=3, tags={'section': 'sports'})\n" +
    "MElement(name='wc.mean', value=170.2, tags=None)\n" +
    "MElement(name='wc.mean', value=1.5, tags={'section': 'sports'})\n";
Console.Write(output);
if (output.ToString() != Expected)
{
    Console.Error.WriteLine("The packaged Metrix did not produce the expected aggregates.");
    return 1;
}

// Metrix.Prometheus and Metrix.PostgreSql restore with their dependencies and build their clients against Metrix.
await using (var postgres = new PostgreSqlClient { ConnectionString = "Host=127.0.0.1;Database=metrics" })
{
    if (postgres.ToString() != "PostgreSqlClient(127.0.0.1:5432/metrics metrix_points)")
    {
        Console.Error.WriteLine($"The packaged Metrix.PostgreSql did not build its client: {postgres}.");
        return 1;
    }
}

await using (var remoteWrite = new PrometheusRemoteWriteClient { Url = new Uri("http://127.0.0.1:9/api/v1/write") })
{
    if (remoteWrite.ToString() != "PrometheusRemoteWriteClient(http://127.0.0.1:9/api/v1/write)")
    {
        Console.Error.WriteLine("The packaged Metrix.Prometheus did not build its client.");
        return 1;
    }
}

// The packages depend on the Microsoft.Extensions.* of the app's framework line (10.x): nothing
// newer may be copied next to the app, where it would override the shared framework's copy.
var newer = Directory.GetFiles(AppContext.BaseDirectory, "Microsoft.Extensions.*.dll")
    .Select(file => AssemblyName.GetAssemblyName(file))
    .Where(assembly => assembly.Version is { Major: > 10 })
    .Select(assembly => $"{assembly.Name} {assembly.Version}")
    .ToList();
if (newer.Count > 0)
{
    Console.Error.WriteLine($"The packages brought Microsoft.Extensions.* newer than the .NET 10 framework into the app's output: {string.Join(", ", newer)}.");
    return 1;
}

Console.WriteLine("Package consumer: OK");
return 0;
