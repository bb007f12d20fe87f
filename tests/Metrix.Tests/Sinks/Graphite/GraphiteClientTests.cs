using System.Reactive.Concurrency;
using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks.Graphite;

/// <summary>
/// MCoordinator → MSinkTSDB → GraphiteClient → VictoriaMetrics' Graphite listener on loopback
/// (tags become labels), read back over its HTTP API. Windows run on a virtual clock set to a
/// recent whole second, so timestamps are exact.
/// </summary>
public sealed class GraphiteClientTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);

    [VictoriaMetricsFact]
    public async Task Aggregates_arrive_with_their_names_values_tags_and_window_close_times_in_seconds()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var clock = new HistoricalScheduler(T0);
        var client = new GraphiteClient { Port = server.GraphitePort };
        using (var mc = new MCoordinator
        {
            MStreams = { new MStream("it.latency") { Agg = { MAgg.Mean, MAgg.Max }, WindowSize = TimeSpan.FromSeconds(10), DefaultTags = Tags.Of(("host", "web-1")) } },
            MSinks = { new MSinkTSDB(client) { OwnsClient = true } },
            Scheduler = clock,
        })
        {
            mc.Send("it.latency", 10, ("route", "/home"));
            mc.Send("it.latency", 30, ("route", "/home"));
            mc.Send("it.latency", 7.25, ("route", "/about us, \"quoted\" = ✓"));
            mc.Send("it.latency", 1, ("route", "/ünïcode"));
            clock.AdvanceBy(TimeSpan.FromSeconds(10));
        }

        var closedAt = (T0 + TimeSpan.FromSeconds(10)).ToUnixTimeMilliseconds();
        client.Statistics.Written.Should().Be(6);
        (await server.WaitForAsync("it.latency.mean", 3)).Should().BeEquivalentTo(new[]
        {
            new StoredPoint("it.latency.mean", Tags.Of(("host", "web-1"), ("route", "/home")), 20, closedAt),
            new StoredPoint("it.latency.mean", Tags.Of(("host", "web-1"), ("route", "/about_us,_\"quoted\"_=_✓")), 7.25, closedAt),
            new StoredPoint("it.latency.mean", Tags.Of(("host", "web-1"), ("route", "/ünïcode")), 1, closedAt),
        });
    }

    [VictoriaMetricsFact]
    public async Task Points_sent_while_the_server_is_down_are_written_once_it_is_up_and_non_finite_values_are_skipped()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync(start: false);
        var logger = new CollectingLogger();
        var client = new GraphiteClient { Port = server.GraphitePort, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200), Logger = logger };
        for (var i = 0; i < 5; i++)
        {
            client.Send("down", i, Tags.Of(("k", "v")), T0.AddSeconds(i));
        }

        client.Send("down", double.NaN, Tags.Of(("k", "v")), T0.AddSeconds(10));
        await Poll.UntilAsync(() => client.Statistics.FailedWrites > 0, "a write to fail while the server is down");
        await server.StartAsync();
        await client.DisposeAsync();

        (await server.WaitForAsync("down", 5)).Select(p => p.Value).Should().Equal(0, 1, 2, 3, 4);
        client.Statistics.Written.Should().Be(5);
        client.Statistics.Dropped.Should().Be(1);
        client.Statistics.FailedWrites.Should().BeGreaterThan(0);
        logger.Entries.Should().ContainSingle(e => e.EventId.Name == "GraphitePointSkipped");
    }

    [VictoriaMetricsFact]
    public async Task After_the_server_restarts_the_client_reconnects_instead_of_writing_into_the_dead_connection()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var client = new GraphiteClient { Port = server.GraphitePort, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        for (var i = 0; i < 5; i++)
        {
            client.Send("restart", i, Tags.Of(("k", "v")), T0.AddSeconds(i));
        }

        (await server.WaitForAsync("restart", 5)).Should().HaveCount(5);
        await server.StopAsync();
        await server.StartAsync();
        for (var i = 5; i < 10; i++)
        {
            client.Send("restart", i, Tags.Of(("k", "v")), T0.AddSeconds(i));
        }

        await client.DisposeAsync();

        (await server.WaitForAsync("restart", 10)).Select(p => p.Value).Should().Equal(Enumerable.Range(0, 10).Select(i => (double)i));
        client.Statistics.Written.Should().Be(10);
    }

    [Fact]
    public void Two_points_of_a_series_in_one_second_take_that_second_and_the_next_and_a_third_is_skipped()
    {
        var client = new GraphiteClient { Port = VictoriaMetricsServer.FreePort(), DisposeTimeout = TimeSpan.Zero };
        var tags = Tags.Of(("k", "v"));

        client.Send("fast", 1, tags, T0);
        client.Send("fast", 2, tags, T0.AddMilliseconds(200));
        client.Send("fast", 3, tags, T0.AddMilliseconds(400));

        client.Statistics.Dropped.Should().Be(1, "a third point in one second would drift two seconds ahead");
        client.Dispose();
    }

    [CarbonFact]
    public async Task A_real_carbon_stores_tagged_series_by_second()
    {
        await using var server = await CarbonServer.CreateAsync();
        var from = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600);
        await using (var client = new GraphiteClient { Port = server.LinePort })
        {
            for (var i = 0; i < 3; i++)
            {
                client.Send("it.orders.sum", 10 + i, Tags.Of(("country", "NL"), ("shop", "web 1")), from.AddSeconds(i * 10));
            }
        }

        var stored = await server.WaitForAsync("it.orders.sum;country=NL;shop=web_1", from, 3);

        stored.Should().Equal(
            (from.ToUnixTimeSeconds(), 10.0),
            (from.ToUnixTimeSeconds() + 10, 11.0),
            (from.ToUnixTimeSeconds() + 20, 12.0));
    }
}
