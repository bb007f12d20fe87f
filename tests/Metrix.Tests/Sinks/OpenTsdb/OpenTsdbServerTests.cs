using System.Reactive.Concurrency;
using Metrix.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Metrix.Tests.Sinks.OpenTsdb;

/// <summary>
/// MCoordinator → MSinkTSDB → OpenTsdbClient → a real VictoriaMetrics server on loopback, read back
/// over its HTTP API. Windows run on a virtual clock set to a recent whole second, so the expected
/// timestamps are exact.
/// </summary>
public sealed class OpenTsdbServerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);

    [VictoriaMetricsFact]
    public async Task Aggregates_arrive_with_their_names_values_tags_and_window_close_times()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var clock = new HistoricalScheduler(T0);
        await using (var tsdb = new OpenTsdbClient { Port = server.OpenTsdbPort })
        {
            using var mc = new MCoordinator
            {
                MStreams =
                {
                    new MStream("it.latency")
                    {
                        Agg = { MAgg.Mean, MAgg.Max },
                        WindowSize = TimeSpan.FromSeconds(10),
                        DefaultTags = Tags.Of(("host", "web-1")),
                    },
                },
                MSinks = { new MSinkTSDB(tsdb) },
                Scheduler = clock,
            };

            mc.Send("it.latency", 10, Tags.Of(("route", "/home")));
            mc.Send("it.latency", 30, Tags.Of(("route", "/home")));
            mc.Send("it.latency", 7, Tags.Of(("route", "/about")));
            clock.AdvanceBy(TimeSpan.FromSeconds(10));
        }

        var closedAt = (T0 + TimeSpan.FromSeconds(10)).ToUnixTimeMilliseconds();
        (await server.WaitForAsync("it.latency.mean", 2)).Should().BeEquivalentTo(new[]
        {
            new StoredPoint("it.latency.mean", Tags.Of(("host", "web-1"), ("route", "/home")), 20, closedAt),
            new StoredPoint("it.latency.mean", Tags.Of(("host", "web-1"), ("route", "/about")), 7, closedAt),
        });
        (await server.WaitForAsync("it.latency.max", 2)).Select(p => p.Value).Should().BeEquivalentTo([30.0, 7.0]);
    }

    [VictoriaMetricsFact]
    public async Task Two_windows_of_one_series_within_a_second_never_collide_with_or_without_a_rate_limit()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var clock = new HistoricalScheduler(T0);
        await using (var tsdb = new OpenTsdbClient { Port = server.OpenTsdbPort })
        {
            using var unpaced = new MCoordinator
            {
                MStreams = { new MStream("it.unpaced") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(0.4) } },
                MSinks = { new MSinkTSDB(tsdb) },
                Scheduler = clock,
            };
            using var paced = new MCoordinator
            {
                MStreams = { new MStream("it.paced") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(0.4) } },
                MSinks = { new MSinkTSDB(tsdb) },
                RateLimit = TimeSpan.FromSeconds(3),
                Scheduler = clock,
            };

            // Windows close at 0.4 s and 0.8 s: the same whole second on the telnet protocol.
            foreach (var (at, value) in new[] { (0.1, 1.0), (0.5, 2.0) })
            {
                clock.AdvanceTo(T0 + TimeSpan.FromSeconds(at));
                unpaced.Send("it.unpaced", value);
                paced.Send("it.paced", value);
            }

            clock.AdvanceTo(T0 + TimeSpan.FromSeconds(10));
        }

        var expected = new[] { (1.0, T0.ToUnixTimeMilliseconds()), (2.0, T0.ToUnixTimeMilliseconds() + 1000) };
        (await server.WaitForAsync("it.unpaced.sum", 2)).Select(p => (p.Value, p.TimestampMs)).Should().Equal(expected);
        (await server.WaitForAsync("it.paced.sum", 2)).Select(p => (p.Value, p.TimestampMs)).Should().Equal(
            expected, "points carry their window's close time, not the paced delivery time");
    }

    [VictoriaMetricsFact]
    public async Task Untagged_points_get_the_fallback_tag_and_names_are_sanitized()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        await using (var tsdb = new OpenTsdbClient { Port = server.OpenTsdbPort, FallbackTags = Tags.Of(("service", "metrix-tests")) })
        {
            tsdb.Send("it.plain", 1, Tags.Of(), T0);
            tsdb.Send("it.odd name!", 2, Tags.Of(("path", "a b|c:d"), ("empty", "")), T0);
        }

        (await server.WaitForAsync("it.plain", 1)).Single().Tags.Should().Equal(Tags.Of(("service", "metrix-tests")));
        var odd = (await server.WaitForAsync("it.odd_name_", 1)).Single();
        odd.Tags.Should().Equal(Tags.Of(("path", "a_b_c_d")));
        odd.Value.Should().Be(2);
    }

    [VictoriaMetricsFact]
    public async Task Http_protocol_writes_millisecond_timestamps_acknowledged_by_the_server()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var clock = new HistoricalScheduler(T0);
        TsdbClientStatistics statistics;
        await using (var tsdb = new OpenTsdbClient { Port = server.OpenTsdbPort, Protocol = OpenTsdbProtocol.Http })
        {
            using (var mc = new MCoordinator
            {
                MStreams = { new MStream("it.http") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(0.4) } },
                MSinks = { new MSinkTSDB(tsdb) },
                Scheduler = clock,
            })
            {
                mc.Send("it.http", 5);
                clock.AdvanceTo(T0 + TimeSpan.FromSeconds(0.5));
                mc.Send("it.http", 5);
                mc.Send("it.http", 5);
                clock.AdvanceTo(T0 + TimeSpan.FromSeconds(1));
            }

            await tsdb.DisposeAsync();
            statistics = tsdb.Statistics;
        }

        statistics.Written.Should().Be(2);
        (await server.ReadAsync("it.http.count")).Select(p => (p.Value, p.TimestampMs)).Should().Equal(
            (1.0, T0.ToUnixTimeMilliseconds() + 400),
            (2.0, T0.ToUnixTimeMilliseconds() + 800));
    }

    [VictoriaMetricsFact]
    public async Task A_client_started_before_its_server_delivers_everything_once_the_server_is_up()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync(start: false);
        var logger = new CollectingLogger();
        await using var tsdb = new OpenTsdbClient
        {
            Port = server.OpenTsdbPort,
            ReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
            Logger = logger,
        };

        for (var i = 0; i < 5; i++)
        {
            tsdb.Send("it.early", i, Tags.Of(("i", $"{i}")), T0);
        }

        SpinWait.SpinUntil(() => tsdb.Statistics.FailedWrites >= 2, TimeSpan.FromSeconds(10)).Should().BeTrue();
        await server.StartAsync();

        var stored = await server.WaitForAsync("it.early", 5);
        stored.Select(p => p.Value).Should().BeEquivalentTo([0.0, 1, 2, 3, 4]);
        SpinWait.SpinUntil(() => tsdb.Statistics.Written == 5, TimeSpan.FromSeconds(10)).Should().BeTrue();
        tsdb.Statistics.Dropped.Should().Be(0);
        logger.Entries.Should().Contain(e => e.EventId.Id == 101 && e.Level == LogLevel.Warning);
        logger.Entries.Should().Contain(e => e.EventId.Id == 102);
    }

    [VictoriaMetricsFact]
    public async Task A_server_restarted_mid_stream_receives_every_point_exactly_once()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        await using var tsdb = new OpenTsdbClient
        {
            Port = server.OpenTsdbPort,
            ReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        };

        for (var i = 0; i < 3; i++)
        {
            tsdb.Send("it.restart", i, Tags.Of(("phase", "before")), T0 + TimeSpan.FromSeconds(i));
        }

        (await server.WaitForAsync("it.restart", 3)).Should().HaveCount(3);

        await server.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            tsdb.Send("it.restart", 10 + i, Tags.Of(("phase", "after")), T0 + TimeSpan.FromSeconds(i));
        }

        SpinWait.SpinUntil(() => tsdb.Statistics.FailedWrites >= 1, TimeSpan.FromSeconds(10)).Should().BeTrue(
            "the client noticed the server was gone instead of writing into the dead connection");
        await server.StartAsync();

        var stored = await server.WaitForAsync("it.restart", 6);
        stored.Select(p => p.Value).Should().BeEquivalentTo([0.0, 1, 2, 10, 11, 12], "each point is stored exactly once");
        tsdb.Statistics.Dropped.Should().Be(0);
    }

    [VictoriaMetricsFact]
    public async Task Dispose_with_the_server_down_gives_up_after_its_timeout_and_counts_and_logs_the_loss()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync(start: false);
        var logger = new CollectingLogger();
        var tsdb = new OpenTsdbClient
        {
            Port = server.OpenTsdbPort,
            ReconnectDelay = TimeSpan.FromMilliseconds(20),
            DisposeTimeout = TimeSpan.FromMilliseconds(200),
            Logger = logger,
        };
        for (var i = 0; i < 4; i++)
        {
            tsdb.Send("it.lost", i, Tags.Of(("i", $"{i}")), T0);
        }

        await tsdb.DisposeAsync();

        tsdb.Statistics.Dropped.Should().Be(4);
        tsdb.Statistics.Written.Should().Be(0);
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 103).Which.Message.Should().Contain("4 point(s)");
        FluentActions.Invoking(() => tsdb.Send("it.lost", 1, Tags.Of())).Should().Throw<ObjectDisposedException>();
    }

    [VictoriaMetricsFact]
    public async Task A_full_buffer_drops_after_the_send_timeout_and_says_so()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync(start: false);
        var logger = new CollectingLogger();
        await using var tsdb = new OpenTsdbClient
        {
            Port = server.OpenTsdbPort,
            BufferCapacity = 1,
            SendTimeout = TimeSpan.FromMilliseconds(50),
            DisposeTimeout = TimeSpan.FromMilliseconds(100),
            Logger = logger,
        };

        tsdb.Send("it.full", 1, Tags.Of(), T0);
        SpinWait.SpinUntil(() => tsdb.Statistics.FailedWrites >= 1, TimeSpan.FromSeconds(10)).Should().BeTrue();
        tsdb.Send("it.full", 2, Tags.Of(), T0.AddSeconds(1));

        // The writer holds point 1 for its next attempt and the buffer holds point 2: no room for 3.
        FluentActions.Invoking(() => tsdb.Send("it.full", 3, Tags.Of(), T0.AddSeconds(2)))
            .Should().Throw<TimeoutException>().WithMessage("*stayed full*");
        tsdb.Statistics.Dropped.Should().Be(1);
        logger.Entries.Should().Contain(e => e.EventId.Id == 103 && e.Message.Contains("stayed full"));
    }
}
