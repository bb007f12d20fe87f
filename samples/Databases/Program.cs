// The news-site pipeline writing to whichever database is named on the command line:
//   dotnet run --project samples/Databases -- opentsdb 127.0.0.1:4242 [--instance web-1] [--articles 1000] [--dot]
//   dotnet run --project samples/Databases -- influxdb http://127.0.0.1:8086/metrix
//   dotnet run --project samples/Databases -- graphite 127.0.0.1:2003
//   dotnet run --project samples/Databases -- prometheus http://127.0.0.1:9090/api/v1/write
//   dotnet run --project samples/Databases -- postgresql "Host=127.0.0.1;Database=metrics;Username=metrix"
// Several processes with different --instance values can write to one database: CommonTags keeps
// their series apart, and sums over instances add up (see the README, "Many processes, one database").
using System.Globalization;
using Metrix;
using Microsoft.Extensions.Logging;
using NewsSite;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Databases <opentsdb|influxdb|graphite|prometheus|postgresql> <host:port | url | connection string> [--instance NAME] [--articles N] [--dot]");
    return 2;
}

var instance = Option("--instance") ?? Environment.MachineName;
var articles = int.Parse(Option("--articles") ?? "1000", CultureInfo.InvariantCulture);
using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

ITsdbClient client = args[0].ToLowerInvariant() switch
{
    "opentsdb" => new OpenTsdbClient
    {
        Host = HostOf(args[1]),
        Port = PortOf(args[1]),
        Protocol = OpenTsdbProtocol.Http, // acknowledged: every point exactly once
        Logger = loggerFactory.CreateLogger<OpenTsdbClient>(),
    },
    "influxdb" => new InfluxDbClient
    {
        Url = new Uri(new Uri(args[1]).GetLeftPart(UriPartial.Authority)),
        Database = new Uri(args[1]).AbsolutePath.Trim('/'),
        Logger = loggerFactory.CreateLogger<InfluxDbClient>(),
    },
    "graphite" => new GraphiteClient { Host = HostOf(args[1]), Port = PortOf(args[1]), Logger = loggerFactory.CreateLogger<GraphiteClient>() },
    "prometheus" => new PrometheusRemoteWriteClient { Url = new Uri(args[1]), Logger = loggerFactory.CreateLogger<PrometheusRemoteWriteClient>() },
    "postgresql" => new PostgreSqlClient { ConnectionString = args[1], Logger = loggerFactory.CreateLogger<PostgreSqlClient>() },
    _ => throw new ArgumentException($"Unknown database '{args[0]}': use opentsdb, influxdb, graphite, prometheus or postgresql."),
};

await using (var mc = new MCoordinator
{
    MStreams =
    {
        new MStream("n_articles") { Agg = { MAgg.Sum }, DefaultTags = new Dictionary<string, string> { ["section"] = "NA" }, WindowSize = TimeSpan.FromSeconds(1) },
        new MStream("wc") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) },
    },
    // The coordinator owns the sink and its client: its dispose writes the last window.
    MSinks = { new MSinkTSDB(client) { OwnsClient = true } },
    CommonTags = new Dictionary<string, string> { ["instance"] = instance },
    Logger = loggerFactory.CreateLogger<MCoordinator>(),
})
{
    if (args.Contains("--dot"))
    {
        Console.Write(mc.ToDot());
        return 0;
    }

    foreach (var article in Article.Feed(articles))
    {
        if (article.Section is { } section)
        {
            mc.Send("n_articles", 1, ("section", section));
        }
        else
        {
            mc.Send("n_articles", 1);
        }

        mc.Send("wc", article.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}

Console.WriteLine($"{instance}: {articles} articles sent to {client}");
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string HostOf(string address) => address[..address.LastIndexOf(':')];

static int PortOf(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
