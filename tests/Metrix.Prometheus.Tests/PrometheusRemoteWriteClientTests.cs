using System.Reactive.Concurrency;
using Metrix.Tests.Support;

namespace Metrix.Prometheus.Tests;

/// <summary>
/// MCoordinator → MSinkTSDB → PrometheusRemoteWriteClient → a real Prometheus on loopback (remote
/// write receiver), read back with PromQL. Windows run on a virtual clock set a few minutes ago
/// (Prometheus refuses samples older than its head block).
/// </summary>
public sealed class PrometheusRemoteWriteClientTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 300);

    [Theory]
    [InlineData("wc.mean", "wc_mean")]
    [InlineData("http.server.request.duration.p99", "http_server_request_duration_p99")]
    [InlineData("9lives", "_9lives")]
    [InlineData("a:b-c", "a:b_c")]
    public void Metric_names_are_made_legal(string name, string legal) => PrometheusNames.Metric(name).Should().Be(legal);

    [Theory]
    [InlineData("http.route", "http_route")]
    [InlineData("__reserved", "x_reserved")]
    [InlineData("a:b", "a_b")]
    public void Label_names_are_made_legal(string name, string legal) => PrometheusNames.Label(name).Should().Be(legal);

    [PrometheusFact]
    public async Task Aggregates_arrive_with_legal_names_exact_label_values_values_and_window_close_times()
    {
        await using var server = await PrometheusServer.CreateAsync();
        var clock = new HistoricalScheduler(T0);
        var client = new PrometheusRemoteWriteClient { Url = server.RemoteWriteUrl };
        using (var mc = new MCoordinator
        {
            MStreams = { new MStream("it.latency") { Agg = { MAgg.Mean, MAgg.Max }, WindowSize = TimeSpan.FromSeconds(10), DefaultTags = Tags.Of(("host", "web-1")) } },
            MSinks = { new MSinkTSDB(client) { OwnsClient = true } },
            Scheduler = clock,
        })
        {
            mc.Send("it.latency", 10, ("http.route", "/home"));
            mc.Send("it.latency", 30, ("http.route", "/home"));
            mc.Send("it.latency", 7.25, ("http.route", "/about us, \"quoted\" = ✓"));
            clock.AdvanceBy(TimeSpan.FromSeconds(10));
            mc.Send("it.latency", 5, ("http.route", "/home"));
            clock.AdvanceBy(TimeSpan.FromSeconds(10));
        }

        var first = (T0 + TimeSpan.FromSeconds(10)).ToUnixTimeMilliseconds();
        client.Statistics.Written.Should().Be(6);
        (await server.ReadAsync("it_latency_mean")).Should().BeEquivalentTo(new[]
        {
            new StoredPoint("it_latency_mean", Tags.Of(("host", "web-1"), ("http_route", "/home")), 20, first),
            new StoredPoint("it_latency_mean", Tags.Of(("host", "web-1"), ("http_route", "/about us, \"quoted\" = ✓")), 7.25, first),
            new StoredPoint("it_latency_mean", Tags.Of(("host", "web-1"), ("http_route", "/home")), 5, first + 10_000),
        });
    }

    [PrometheusFact]
    public async Task A_request_the_server_refuses_is_logged_with_its_message_counted_and_not_retried()
    {
        await using var server = await PrometheusServer.CreateAsync();
        var logger = new CollectingLogger();
        await using (var later = new PrometheusRemoteWriteClient { Url = server.RemoteWriteUrl })
        {
            later.Send("ooo", 2, Tags.Of(("k", "v")), T0.AddSeconds(60));
        }

        var client = new PrometheusRemoteWriteClient { Url = server.RemoteWriteUrl, Logger = logger };
        client.Send("ooo", 1, Tags.Of(("k", "v")), T0);
        client.Send("ooo", 3, Tags.Of(("k", "v")), T0.AddSeconds(1));
        await client.DisposeAsync();

        client.Statistics.Dropped.Should().Be(2, "the server rolls a refused request back whole, and both samples are out of order");
        client.Statistics.FailedWrites.Should().Be(0, "a refusal is not retried");
        // One refusal per request: the two samples may have gone in one batch or two.
        logger.Entries.Where(e => e.EventId.Id == 103).Should().NotBeEmpty().And.OnlyContain(e => e.Message.Contains("out of order"));
        (await server.ReadAsync("ooo")).Select(p => p.Value).Should().Equal(2.0);
    }

    [PrometheusFact]
    public async Task Points_sent_while_the_server_is_down_are_written_once_it_is_up_and_NaN_is_skipped()
    {
        await using var server = await PrometheusServer.CreateAsync(start: false);
        var client = new PrometheusRemoteWriteClient { Url = server.RemoteWriteUrl, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        for (var i = 0; i < 5; i++)
        {
            client.Send("down", i, Tags.Of(("k", "v")), T0.AddSeconds(i));
        }

        client.Send("down", double.NaN, Tags.Of(("k", "v")), T0.AddSeconds(10));
        await Poll.UntilAsync(() => client.Statistics.FailedWrites > 0, "a write to fail while the server is down");
        await server.StartAsync();
        await client.DisposeAsync();

        (await server.ReadAsync("down")).Select(p => p.Value).Should().Equal(0, 1, 2, 3, 4);
        client.Statistics.Written.Should().Be(5);
        client.Statistics.Dropped.Should().Be(1);
        client.Statistics.FailedWrites.Should().BeGreaterThan(0);
    }

    [PrometheusFact]
    public async Task Points_sent_while_the_server_restarts_are_all_written_exactly_once()
    {
        await using var server = await PrometheusServer.CreateAsync();
        var client = new PrometheusRemoteWriteClient { Url = server.RemoteWriteUrl, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        for (var i = 0; i < 5; i++)
        {
            client.Send("restart", i, Tags.Of(("phase", "before")), T0.AddSeconds(i));
        }

        await WaitForAsync(server, "restart", 5);
        await server.StopAsync();
        for (var i = 5; i < 10; i++)
        {
            client.Send("restart", i, Tags.Of(("phase", "before")), T0.AddSeconds(i));
        }

        await server.StartAsync();
        await client.DisposeAsync();

        (await server.ReadAsync("restart")).Select(p => p.Value).Should().Equal(Enumerable.Range(0, 10).Select(i => (double)i));
        client.Statistics.Written.Should().Be(10);
        client.Statistics.Dropped.Should().Be(0);
    }

    private static async Task WaitForAsync(PrometheusServer server, string metric, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await server.ReadAsync(metric)).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
