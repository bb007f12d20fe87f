using System.Reactive.Concurrency;
using System.Text;
using Metrix.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metrix.Hosting.Tests;

/// <summary>AddMetrix(configuration section): appsettings.json binds settings, streams and built-in sinks; bad configuration stops the host at start naming the path.</summary>
public sealed class ConfigurationTests
{
    private const string Complete = """
        {
          "Metrix": {
            "RateLimit": "00:00:00.5",
            "CommonTags": { "instance": "web-1" },
            "SinkQueueCapacity": 500,
            "DisposeTimeout": "00:00:05",
            "Streams": {
              "wc": { "Agg": [ "sum", "mean", "p99" ], "WindowSize": "00:05:00", "DefaultTags": { "section": "NA" } },
              "n_articles": { "Agg": { "total": "sum", "biggest": "max" }, "BatchSize": 3, "MaxTagSets": 500 }
            },
            "Sinks": {
              "Logger": { "Level": "Warning", "Category": "Aggregates" },
              "Printer": { },
              "OpenTsdb": { "Host": "tsdb.local", "Port": 4243, "Protocol": "Http", "RateLimit": "00:00:01" },
              "InfluxDb": { "Url": "http://influx.local:8086", "Database": "metrics" },
              "Graphite": { "Host": "carbon.local", "ConnectTimeout": "00:00:02" },
              "Prometheus": { "Url": "http://prometheus.local:9090/api/v1/write" },
              "PostgreSql": { "ConnectionString": "Host=db.local;Database=metrics", "Table": "points" }
            }
          }
        }
        """;

    [Fact]
    public async Task A_complete_section_binds_settings_streams_and_sinks_and_combines_with_code()
    {
        using var host = BuildHost(Complete, (_, mc) => mc.AddMStream(new MStream("from.code") { Agg = { MAgg.Count }, BatchSize = 1 }));
        await host.StartAsync();
        var mc = host.Services.GetRequiredService<MCoordinator>();

        mc.RateLimit.Should().Be(TimeSpan.FromSeconds(0.5));
        mc.CommonTags.Should().Equal(new Dictionary<string, string> { ["instance"] = "web-1" });
        mc.SinkQueueCapacity.Should().Be(500);
        mc.DisposeTimeout.Should().Be(TimeSpan.FromSeconds(5));
        // Configuration keeps a list's order, not an object's (its keys come sorted): a list fixes
        // the order of outputs, an object names them.
        mc.MStreams.Select(s => s.ToString()).Should().Equal(
            "MStream('n_articles', batch=3, agg=[biggest, total])",
            "MStream('wc', window=300s, agg=[sum, mean, p99], default_tags={'section': 'NA'})",
            "MStream('from.code', batch=1, agg=[count])");
        mc.MStreams.Single(s => s.Name == "n_articles").MaxTagSets.Should().Be(500);
        mc.ToString().Should().Contain("MSinkLogger(level=Warning").And.Contain("MSinkPrinter")
            .And.Contain("MSinkTSDB(OpenTsdbClient(http://tsdb.local:4243)) rate_limit=1s")
            .And.Contain("MSinkTSDB(InfluxDbClient(http://influx.local:8086 db=metrics))")
            .And.Contain("MSinkTSDB(GraphiteClient(carbon.local:2003))")
            .And.Contain("MSinkTSDB(PrometheusRemoteWriteClient(http://prometheus.local:9090/api/v1/write))")
            .And.Contain("MSinkTSDB(PostgreSqlClient(db.local:5432/metrics points))");
        mc.MSinks.OfType<MSinkTSDB>().Should().HaveCount(5).And.OnlyContain(s => s.OwnsClient, "a configured client is the coordinator's");
        mc.MSinks.OfType<MSinkTSDB>().Select(s => s.Client).OfType<GraphiteClient>().Single().ConnectTimeout.Should().Be(TimeSpan.FromSeconds(2));
        await host.StopAsync();
    }

    [Fact]
    public async Task Configured_streams_and_sinks_aggregate_and_deliver_with_the_common_tags()
    {
        const string Json = """
            {
              "Metrix": {
                "CommonTags": { "instance": "web-1" },
                "Streams": { "n_articles": { "Agg": { "total": "sum", "biggest": "max" }, "BatchSize": 3 } },
                "Sinks": { "Logger": { "Level": "Warning", "Category": "Aggregates" } }
              }
            }
            """;
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var logs = new CollectingLoggerProvider();
        var collected = new CollectingSink();
        using var host = BuildHost(Json, (_, mc) =>
        {
            mc.Scheduler = clock;
            mc.AddMSink(collected);
        }, logs);
        await host.StartAsync();
        var mc = host.Services.GetRequiredService<MCoordinator>();

        foreach (var words in new[] { 120.0, 80, 100 })
        {
            mc.Send("n_articles", words, ("section", "sports"));
        }

        clock.AdvanceBy(TimeSpan.FromSeconds(1));
        var tags = new Dictionary<string, string> { ["instance"] = "web-1", ["section"] = "sports" };
        collected.Elements.Should().Equal(new MElement("n_articles.biggest", 120, tags), new MElement("n_articles.total", 300, tags));
        logs.Messages.Where(m => m.Category == "Aggregates").Select(m => m.Text).Should().Equal(
            "MElement(name='n_articles.biggest', value=120, tags={'instance': 'web-1', 'section': 'sports'})",
            "MElement(name='n_articles.total', value=300, tags={'instance': 'web-1', 'section': 'sports'})");
        await host.StopAsync();
    }

    [Theory]
    [InlineData("""{ "Streams": { "wc": { "Agg": [ "sum" ], "WindowSize": "5 minutes" } } }""", "Metrix:Streams:wc:WindowSize", "is not a positive time span")]
    [InlineData("""{ "Streams": { "wc": { "Agg": [ "sum", "p101" ], "WindowSize": "00:05:00" } } }""", "Metrix:Streams:wc:Agg:1", "'p101' is not an aggregation")]
    [InlineData("""{ "Streams": { "wc": { "Agg": [ "sum" ], "WindowSize": "00:05:00", "BatchSize": 10 } } }""", "Metrix:Streams:wc", "exactly one of WindowSize")]
    [InlineData("""{ "Streams": { "wc": { "Agg": [ "sum" ] } } }""", "Metrix:Streams:wc", "exactly one of WindowSize")]
    [InlineData("""{ "Streams": { "wc": { "WindowSize": "00:05:00" } } }""", "Metrix:Streams:wc:Agg", "at least one aggregation")]
    [InlineData("""{ "Streams": { "wc": { "Agg": [ "sum" ], "WindowSize": "00:05:00", "Windowsize2": "x" } } }""", "Metrix:Streams:wc:Windowsize2", "unknown setting")]
    [InlineData("""{ "Streams": { "wc": { "Agg": [ "sum" ], "BatchSize": "0" } } }""", "Metrix:Streams:wc:BatchSize", "at least 1")]
    [InlineData("""{ "Streams": { "wc": { "Agg": [ "sum" ], "BatchSize": 5, "DefaultTags": { "": "x" } } } }""", "Metrix:Streams:wc", "tag key")]
    [InlineData("""{ "RateLimit": "-00:00:01" }""", "Metrix:RateLimit", "is not a positive time span")]
    [InlineData("""{ "Sinks": { "Influx": { } } }""", "Metrix:Sinks:Influx", "unknown sink")]
    [InlineData("""{ "Sinks": { "InfluxDb": { "Url": "influx:8086", "Database": "m" } } }""", "Metrix:Sinks:InfluxDb:Url", "not an absolute http(s) URL")]
    [InlineData("""{ "Sinks": { "InfluxDb": { "Url": "http://influx:8086" } } }""", "Metrix:Sinks:InfluxDb", "set Database")]
    [InlineData("""{ "Sinks": { "Logger": { "Level": "Loud" } } }""", "Metrix:Sinks:Logger:Level", "'Loud' is not one of")]
    [InlineData("""{ "Sinks": { "OpenTsdb": { "Port": 70000 } } }""", "Metrix:Sinks:OpenTsdb:Port", "is not a port")]
    [InlineData("""{ "Sinks": { "Graphite": { "Host": " " } } }""", "Metrix:Sinks:Graphite:Host", "must not be empty")]
    [InlineData("""{ "Sinks": { "Logger": { "MessageTemplate": "no placeholder" } } }""", "Metrix:Sinks:Logger:MessageTemplate", "placeholder")]
    [InlineData("""{ "Streamz": { } }""", "Metrix:Streamz", "unknown setting")]
    public async Task Bad_configuration_stops_the_host_at_start_naming_the_path_and_the_problem(string section, string path, string problem)
    {
        using var host = BuildHost($$"""{ "Metrix": {{section}} }""", (_, mc) =>
        {
            mc.AddMStream(new MStream("from.code") { Agg = { MAgg.Count }, BatchSize = 1 });
            mc.AddMSink(new CollectingSink());
        });

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<InvalidOperationException>())
            .Which.Message.Should().StartWith($"Metrix configuration '{path}': ").And.Contain(problem);
    }

    private static IHost BuildHost(string json, Action<IServiceProvider, MCoordinator> code, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddMetrix(builder.Configuration.GetSection("Metrix"), code);
        return builder.Build();
    }
}
