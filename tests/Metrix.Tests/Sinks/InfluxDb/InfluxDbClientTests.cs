using System.Reactive.Concurrency;
using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks.InfluxDb;

/// <summary>
/// MCoordinator → MSinkTSDB → InfluxDbClient → a real InfluxDB 1.x on loopback, read back with
/// InfluxQL. Windows run on a virtual clock set to a recent whole second, so timestamps are exact.
/// </summary>
public sealed class InfluxDbClientTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);

    [InfluxDbFact]
    public async Task Aggregates_arrive_with_exact_names_values_tags_and_window_close_times()
    {
        await using var server = await InfluxDbServer.CreateAsync();
        var clock = new HistoricalScheduler(T0);
        var client = new InfluxDbClient { Url = server.Url, Database = InfluxDbServer.Database };
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
            clock.AdvanceBy(TimeSpan.FromSeconds(10));
        }

        var closedAt = (T0 + TimeSpan.FromSeconds(10)).ToUnixTimeMilliseconds();
        client.Statistics.Written.Should().Be(4, "the coordinator's dispose disposed the client it owns, which wrote its buffer");
        (await server.ReadAsync("it.latency.mean")).Should().BeEquivalentTo(new[]
        {
            new StoredPoint("it.latency.mean", Tags.Of(("host", "web-1"), ("route", "/home")), 20, closedAt),
            new StoredPoint("it.latency.mean", Tags.Of(("host", "web-1"), ("route", "/about us, \"quoted\" = ✓")), 7.25, closedAt),
        });
        (await server.ReadAsync("it.latency.max")).Select(p => p.Value).Should().BeEquivalentTo([30.0, 7.25]);
    }

    [InfluxDbFact]
    public async Task Non_finite_values_are_skipped_counted_and_logged_once_per_series()
    {
        await using var server = await InfluxDbServer.CreateAsync();
        var logger = new CollectingLogger();
        await using (var client = new InfluxDbClient { Url = server.Url, Database = InfluxDbServer.Database, Logger = logger })
        {
            client.Send("m", double.NaN, Tags.Of(("k", "v")), T0);
            client.Send("m", double.PositiveInfinity, Tags.Of(("k", "v")), T0.AddSeconds(1));
            client.Send("m", 1, Tags.Of(("k", "v")), T0.AddSeconds(2));
            await client.DisposeAsync();
            client.Statistics.Dropped.Should().Be(2);
            client.Statistics.Written.Should().Be(1);
        }

        logger.Entries.Should().ContainSingle(e => e.EventId.Name == "InfluxDbPointSkipped").Which.Message.Should().Contain("NaN");
        (await server.ReadAsync("m")).Select(p => p.Value).Should().Equal(1.0);
    }

    [InfluxDbFact]
    public async Task Points_sent_while_the_server_is_down_or_restarting_are_all_written_exactly_once()
    {
        // The database exists (created on a first start), the server is down when the client starts.
        await using var server = await InfluxDbServer.CreateAsync();
        await server.StopAsync();
        var client = new InfluxDbClient { Url = server.Url, Database = InfluxDbServer.Database, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        for (var i = 0; i < 5; i++)
        {
            client.Send("restart", i, Tags.Of(("phase", "before start")), T0.AddSeconds(i));
        }

        await Poll.UntilAsync(() => client.Statistics.FailedWrites > 0, "a write to fail before the server starts");
        await server.StartAsync();
        (await server.WaitForAsync("restart", 5)).Should().HaveCount(5);
        await server.StopAsync();
        var failedBeforeRestart = client.Statistics.FailedWrites;
        for (var i = 5; i < 10; i++)
        {
            client.Send("restart", i, Tags.Of(("phase", "while down")), T0.AddSeconds(i));
        }

        await Poll.UntilAsync(() => client.Statistics.FailedWrites > failedBeforeRestart, "a write to fail while the server is stopped");
        await server.StartAsync();
        await client.DisposeAsync();

        (await server.ReadAsync("restart")).Select(p => p.Value).Should().Equal(Enumerable.Range(0, 10).Select(i => (double)i));
        client.Statistics.Written.Should().Be(10);
        client.Statistics.FailedWrites.Should().BeGreaterThan(0);
        client.Statistics.Dropped.Should().Be(0);
    }

    [InfluxDbFact]
    public async Task A_write_the_server_refuses_is_logged_with_its_message_counted_and_not_retried()
    {
        await using var server = await InfluxDbServer.CreateAsync();
        var logger = new CollectingLogger();
        var client = new InfluxDbClient { Url = server.Url, Database = "no_such_database", Logger = logger };

        client.Send("m", 1, Tags.Of(("k", "v")), T0);
        client.Send("m", 2, Tags.Of(("k", "v")), T0.AddSeconds(1));
        await client.DisposeAsync();

        client.Statistics.Dropped.Should().Be(2);
        client.Statistics.FailedWrites.Should().Be(0, "a refusal is not retried");
        // One refusal per request: the two points may have gone in one batch or two.
        logger.Entries.Where(e => e.EventId.Id == 103).Should().NotBeEmpty().And.OnlyContain(e => e.Message.Contains("database not found"));
    }

    [InfluxDbFact]
    public async Task A_partial_write_stores_the_good_lines_and_counts_only_the_refused_ones_with_the_server_s_message()
    {
        await using var server = await InfluxDbServer.CreateAsync();
        // Another writer made "conflict"'s field a string: InfluxDB refuses float values for it.
        await server.WriteLinesAsync($"conflict value=\"text\" {T0.ToUnixTimeMilliseconds()}\n");
        var logger = new CollectingLogger();
        var client = new InfluxDbClient { Url = server.Url, Database = InfluxDbServer.Database, Logger = logger };

        client.Send("fine", 1, Tags.Of(("k", "v")), T0);
        client.Send("conflict", 2, Tags.Of(("k", "v")), T0.AddSeconds(1));
        client.Send("fine", 3, Tags.Of(("k", "v")), T0.AddSeconds(2));
        await client.DisposeAsync();

        (await server.ReadAsync("fine")).Select(p => p.Value).Should().Equal(1, 3);
        client.Statistics.Written.Should().Be(2);
        client.Statistics.Dropped.Should().Be(1);
        client.Statistics.FailedWrites.Should().Be(0, "a refusal is not retried");
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 103).Which.Message.Should().Contain("partial write").And.Contain("field type conflict");
    }

    [InfluxDbFact]
    public async Task Dispose_with_the_server_down_gives_up_after_DisposeTimeout_and_counts_what_is_left()
    {
        await using var server = await InfluxDbServer.CreateAsync(start: false);
        var client = new InfluxDbClient { Url = server.Url, Database = InfluxDbServer.Database, DisposeTimeout = TimeSpan.FromMilliseconds(300) };
        client.Send("m", 1, Tags.Of(("k", "v")), T0);
        client.Send("m", 2, Tags.Of(("k", "v")), T0.AddSeconds(1));

        var disposing = client.DisposeAsync().AsTask();

        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
        client.Statistics.Dropped.Should().Be(2);
        client.Statistics.Written.Should().Be(0);
    }

    [Fact]
    public void Missing_settings_are_refused_at_the_first_send_naming_what_to_set()
    {
        var tags = new Dictionary<string, string>();
        new InfluxDbClient().Invoking(c => c.Send("m", 1, tags)).Should().Throw<InvalidOperationException>().WithMessage("*needs Url*");
        new InfluxDbClient { Url = new Uri("http://127.0.0.1:1") }.Invoking(c => c.Send("m", 1, tags)).Should().Throw<InvalidOperationException>().WithMessage("*Database*");
        new InfluxDbClient { Url = new Uri("http://127.0.0.1:1"), Bucket = "b" }.Invoking(c => c.Send("m", 1, tags)).Should().Throw<InvalidOperationException>().WithMessage("*Org*");
        new InfluxDbClient { Url = new Uri("http://127.0.0.1:1"), Database = "d" }.Invoking(c => c.Send("", 1, tags)).Should().Throw<ArgumentException>();
    }

    [VictoriaMetricsFact]
    public async Task VictoriaMetrics_takes_the_same_lines_with_exact_tags_values_and_milliseconds()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        await using (var client = new InfluxDbClient { Url = new Uri($"http://127.0.0.1:{server.HttpPort}"), Database = "metrix" })
        {
            client.Send("it.latency.mean", 20, Tags.Of(("host", "web-1"), ("route", "/about us, \"quoted\" = ✓")), T0.AddMilliseconds(250));
            client.Send("it.latency.mean", 7.25, Tags.Of(("host", "web-1"), ("route", "/home")), T0.AddSeconds(10));
        }

        // VictoriaMetrics names a line's series {measurement}_{field} and keeps the database as the db label.
        (await server.WaitForAsync("it.latency.mean_value", 2)).Should().BeEquivalentTo(new[]
        {
            new StoredPoint("it.latency.mean_value", Tags.Of(("db", "metrix"), ("host", "web-1"), ("route", "/about us, \"quoted\" = ✓")), 20, T0.AddMilliseconds(250).ToUnixTimeMilliseconds()),
            new StoredPoint("it.latency.mean_value", Tags.Of(("db", "metrix"), ("host", "web-1"), ("route", "/home")), 7.25, T0.AddSeconds(10).ToUnixTimeMilliseconds()),
        });
    }

    [VictoriaMetricsFact]
    public async Task InfluxDB_2_writes_go_to_api_v2_write_in_milliseconds_and_are_stored_exactly()
    {
        // No InfluxDB 2.x server installs here. VictoriaMetrics serves its /api/v2/write, which
        // proves the path and precision=ms (a point read as nanoseconds would land in 1970); it
        // ignores org, bucket and token, which only a real InfluxDB 2.x would check.
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var client = new InfluxDbClient { Url = new Uri($"http://127.0.0.1:{server.HttpPort}"), Org = "shop", Bucket = "metrix_v2", Token = "secret-token" };
        await using (client)
        {
            client.Send("it.orders.sum", 12.5, Tags.Of(("region", "north, \"east\" = ✓")), T0.AddMilliseconds(750));
        }

        client.ToString().Should().Contain("bucket=metrix_v2");
        client.Statistics.Written.Should().Be(1);
        (await server.WaitForAsync("it.orders.sum_value", 1)).Should().BeEquivalentTo(new[]
        {
            new StoredPoint("it.orders.sum_value", Tags.Of(("region", "north, \"east\" = ✓")), 12.5, T0.AddMilliseconds(750).ToUnixTimeMilliseconds()),
        });
    }
}
