// The seed's news-site example: count articles per section and sum/average their word counts,
// in short (1 s) windows so that it finishes in a few seconds. Run: dotnet run --project samples/NewsSite
using Metrix;
using Microsoft.Extensions.Logging;
using NewsSite;

using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss.fff ";
}));
var logger = loggerFactory.CreateLogger("NewsSite");

await using (var mc = new MCoordinator
{
    MStreams =
    {
        new MStream("n_articles")
        {
            Agg = { MAgg.Sum },
            DefaultTags = new Dictionary<string, string> { ["section"] = "NA" },
            WindowSize = TimeSpan.FromSeconds(1),
        },
        new MStream("wc")
        {
            Agg = { MAgg.Sum, MAgg.Mean },
            WindowSize = TimeSpan.FromSeconds(1),
        },
    },
    MSinks = { new MSinkLogger(logger) { Level = LogLevel.Information } },
    RateLimit = TimeSpan.FromSeconds(0.05),
    Logger = loggerFactory.CreateLogger<MCoordinator>(),
})
{
    // `-- --dot` prints the pipeline as a Graphviz graph instead (the README's picture):
    // dotnet run --project samples/NewsSite -- --dot | dot -Tpng -o docs/news-site-pipeline.png
    if (args.Contains("--dot"))
    {
        Console.Write(mc.ToDot());
        return;
    }

    logger.LogInformation("Publishing 1,000 articles over about 2.5 seconds; one line per (metric, aggregation, section) per 1 s window.");
    var published = 0;
    foreach (var article in Article.Feed(count: 1_000))
    {
        // Tags as (key, value) tuples allocate nothing; an article without a section gets the default "NA".
        if (article.Section is { } section)
        {
            mc.Send("n_articles", 1, ("section", section));
        }
        else
        {
            mc.Send("n_articles", 1);
        }

        mc.Send("wc", article.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

        // Articles arrive over time, not all at once: 100 every quarter second.
        if (++published % 100 == 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(0.25));
        }
    }

    // Disposing flushes the last, partial window and delivers every pending line.
    logger.LogInformation("Done publishing; flushing the last window. {Statistics}", mc.Statistics);
}
