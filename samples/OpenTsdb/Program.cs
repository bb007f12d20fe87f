// Sends one-second aggregates of simulated request latencies to OpenTSDB or VictoriaMetrics.
// Run:  dotnet run --project samples/OpenTsdb -- [host] [port]     (default localhost 4242)
using Metrix;
using Microsoft.Extensions.Logging;

var host = args.Length > 0 ? args[0] : "localhost";
var port = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4242;

using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
var logger = loggerFactory.CreateLogger("OpenTsdbSample");

var tsdb = new OpenTsdbClient { Host = host, Port = port, Logger = loggerFactory.CreateLogger<OpenTsdbClient>() };
await using (var mc = new MCoordinator
{
    MStreams =
    {
        new MStream("sample.latency")
        {
            Agg = { MAgg.Mean, MAgg.Percentile(99), MAgg.Count },
            DefaultTags = new Dictionary<string, string> { ["service"] = "checkout" },
            WindowSize = TimeSpan.FromSeconds(1),
        },
    },
    // The coordinator owns the sink and, through it, the client: its dispose writes the last window.
    MSinks = { new MSinkTSDB(tsdb) { OwnsClient = true }, new MSinkLogger(logger) },
    Logger = loggerFactory.CreateLogger<MCoordinator>(),
})
{
    // Each route's series is bound once: its sends look nothing up.
    var random = new Random(7);
    MSeries[] routes = [mc.Series("sample.latency", ("route", "/cart")), mc.Series("sample.latency", ("route", "/pay"))];
    for (var i = 0; i < 300; i++)
    {
        routes[i % routes.Length].Send(20 + (random.NextDouble() * 80));
        if (i % 100 == 99)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}

logger.LogInformation("OpenTSDB client: {Statistics}", tsdb.Statistics);
