using System.Text;
using System.Text.Json;
using Metrix.Hosting.Configuration;
using Metrix.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metrix.Hosting.Tests;

/// <summary>
/// Every database client is a configurable sink kind, the clients of Metrix.Prometheus and
/// Metrix.PostgreSql too (found by name, so Metrix.Hosting does not depend on them): configured
/// from appsettings, owned by the coordinator, written to a real server before the host's stop returns.
/// </summary>
public sealed class DatabaseSinkConfigurationTests
{
    [PrometheusFact]
    public async Task A_configured_Prometheus_sink_writes_to_a_real_server_before_the_host_s_stop_returns()
    {
        await using var server = await PrometheusServer.CreateAsync();
        using var host = BuildHost($$"""
            {
              "Metrix": {
                "Streams": { "hosted.orders": { "Agg": [ "sum", "max" ], "BatchSize": 2 } },
                "Sinks": { "Prometheus": { "Url": "{{server.RemoteWriteUrl}}", "ReconnectDelay": "00:00:00.05", "BufferCapacity": 1000, "SendTimeout": "00:00:00" } }
              }
            }
            """);
        await host.StartAsync();
        var mc = host.Services.GetRequiredService<MCoordinator>();
        var client = mc.MSinks.OfType<MSinkTSDB>().Should().ContainSingle().Which.Client.Should().BeOfType<PrometheusRemoteWriteClient>().Subject;
        client.ReconnectDelay.Should().Be(TimeSpan.FromMilliseconds(50));
        client.BufferCapacity.Should().Be(1000);
        client.SendTimeout.Should().Be(TimeSpan.Zero, "the client's own rule decides (no wait is allowed), not the binder's");

        mc.Send("hosted.orders", 2, ("shop", "north"));
        mc.Send("hosted.orders", 3, ("shop", "north"));
        await host.StopAsync();

        client.Statistics.Written.Should().Be(2, "the coordinator disposed the client it owns, which wrote its buffer");
        (await server.ReadAsync("hosted_orders_sum")).Should().ContainSingle()
            .Which.Should().Match<StoredPoint>(p => p.Value == 5 && p.Tags["shop"] == "north");
        (await server.ReadAsync("hosted_orders_max")).Should().ContainSingle().Which.Value.Should().Be(3);
    }

    [PostgreSqlFact]
    public async Task A_configured_PostgreSql_sink_writes_rows_to_a_real_server_before_the_host_s_stop_returns()
    {
        await using var server = await PostgreSqlServer.CreateAsync();
        using var host = BuildHost($$"""
            {
              "Metrix": {
                "Streams": { "hosted.orders": { "Agg": [ "sum" ], "BatchSize": 2 } },
                "Sinks": { "PostgreSql": { "ConnectionString": "{{server.ConnectionString}}", "Table": "hosted_points" } }
              }
            }
            """);
        await host.StartAsync();
        var mc = host.Services.GetRequiredService<MCoordinator>();

        mc.Send("hosted.orders", 2, ("shop", "north"));
        mc.Send("hosted.orders", 3, ("shop", "north"));
        await host.StopAsync();

        var rows = await server.QueryAsync("SELECT name, tags::text, value FROM hosted_points");
        rows.Should().ContainSingle();
        ((string)rows[0][0], JsonSerializer.Deserialize<Dictionary<string, string>>((string)rows[0][1]), (double)rows[0][2])
            .Should().BeEquivalentTo(("hosted.orders.sum", Tags.Of(("shop", "north")), 5.0));
    }

    [Theory]
    [InlineData("""{ "Prometheus": { } }""", "Metrix:Sinks:Prometheus", "set Url")]
    [InlineData("""{ "Prometheus": { "Url": "ftp://prometheus/api/v1/write" } }""", "Metrix:Sinks:Prometheus:Url", "not an absolute http(s) URL")]
    [InlineData("""{ "Prometheus": { "Url": "http://p/api/v1/write", "Adress": "x" } }""", "Metrix:Sinks:Prometheus:Adress", "unknown setting; known here: BufferCapacity, ConnectTimeout")]
    [InlineData("""{ "Prometheus": { "Url": "http://p/api/v1/write", "Logger": "x" } }""", "Metrix:Sinks:Prometheus:Logger", "unknown setting")]
    [InlineData("""{ "Prometheus": { "Url": "http://p/api/v1/write", "SendTimeout": "soon" } }""", "Metrix:Sinks:Prometheus:SendTimeout", "'soon' is not a time span")]
    [InlineData("""{ "Prometheus": { "Url": "http://p/api/v1/write", "ReconnectDelay": "-00:00:01" } }""", "Metrix:Sinks:Prometheus:ReconnectDelay", "ReconnectDelay")]
    [InlineData("""{ "PostgreSql": { "Table": "points" } }""", "Metrix:Sinks:PostgreSql", "set ConnectionString")]
    [InlineData("""{ "PostgreSql": { "ConnectionString": "Host=db", "Table": "points; DROP TABLE x" } }""", "Metrix:Sinks:PostgreSql:Table", "is not a table name")]
    [InlineData("""{ "PostgreSql": { "ConnectionString": "Host=db", "BufferCapacity": 0 } }""", "Metrix:Sinks:PostgreSql:BufferCapacity", "BufferCapacity ('0') must be greater than or equal to '1'")]
    [InlineData("""{ "OpenTsdb": { "Protocol": "Carrier pigeon" } }""", "Metrix:Sinks:OpenTsdb:Protocol", "is not one of Telnet, Http")]
    [InlineData("""{ "OpenTsdb": { "FallbackTags": { "host": "a b" } } }""", "Metrix:Sinks:OpenTsdb:FallbackTags", "FallbackTags value of 'host' 'a b' is not a valid OpenTSDB name")]
    public async Task Bad_database_sink_settings_stop_the_host_at_start_naming_the_path(string sinks, string path, string problem)
    {
        using var host = BuildHost($$"""{ "Metrix": { "Streams": { "n": { "Agg": [ "sum" ], "BatchSize": 1 } }, "Sinks": {{sinks}} } }""");

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<InvalidOperationException>())
            .Which.Message.Should().StartWith($"Metrix configuration '{path}': ").And.Contain(problem);
    }

    [Fact]
    public void A_sink_of_a_package_the_app_does_not_reference_names_the_package_to_add()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection([new("Metrix:Sinks:Kafka:Url", "http://k")]).Build().GetSection("Metrix:Sinks:Kafka");

        FluentActions.Invoking(() => SinkConfiguration.PackageClient(section, "Metrix.KafkaClient", "Metrix.Kafka"))
            .Should().Throw<InvalidOperationException>()
            .WithMessage("Metrix configuration 'Metrix:Sinks:Kafka': this sink needs the Metrix.Kafka package*dotnet add package Metrix.Kafka*");
    }

    private static IHost BuildHost(string json)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddMetrix(builder.Configuration.GetSection("Metrix"));
        return builder.Build();
    }
}
