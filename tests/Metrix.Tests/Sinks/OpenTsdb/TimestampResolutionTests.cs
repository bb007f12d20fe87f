using System.Reactive.Concurrency;
using Metrix.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Metrix.Tests.Sinks.OpenTsdb;

/// <summary>
/// The telnet protocol stores whole seconds: a point is stamped at most one second after its
/// window closed, never further (no drift), and a point that cannot be represented is counted and
/// logged once per series, never lost silently.
/// </summary>
public sealed class TimestampResolutionTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600);

    [Fact]
    public void A_series_clock_moves_a_colliding_point_at_most_one_unit_and_refuses_what_would_drift()
    {
        var clock = new SeriesClock(horizon: 60);

        clock.TryNext("a", Floor(10.2), out var stamp).Should().BeTrue();
        stamp.Should().Be(10);
        clock.TryNext("a", Floor(10.4), out stamp).Should().BeTrue("10 is taken; 11 is within one unit of 10.4");
        stamp.Should().Be(11);
        clock.TryNext("a", Floor(10.6), out _).Should().BeFalse("12 would be more than one unit after 10.6");
        clock.TryNext("b", Floor(10.6), out stamp).Should().BeTrue("another series keeps its own time");
        stamp.Should().Be(10);
        clock.TryNext("a", Floor(11.0), out stamp).Should().BeTrue("11 is taken; 12 is one unit after 11.0");
        stamp.Should().Be(12);
        clock.TryNext("a", Floor(11.5), out _).Should().BeFalse("12 is taken and 13 is more than one unit after 11.5");
        clock.TryNext("a", Floor(13.0), out stamp).Should().BeTrue();
        stamp.Should().Be(13);
    }

    [Fact]
    public void Windows_shorter_than_the_resolution_never_drift_ahead_of_the_clock()
    {
        var clock = new SeriesClock(horizon: 60);
        var written = 0;

        // 0.2 s windows for an hour: five closes per second, at most one point per second.
        for (var close = 1; close <= 5 * 3600; close++)
        {
            var at = close / 5.0;
            if (clock.TryNext("a", Floor(at), out var stamp))
            {
                written++;
                stamp.Should().BeGreaterThanOrEqualTo((long)Math.Floor(at));
                stamp.Should().BeLessThanOrEqualTo((long)Math.Floor(at) + 1, "never more than one unit after the close");
            }
        }

        written.Should().BeInRange(3600, 3602, "one point per second can be represented");
    }

    [Fact]
    public void The_series_clock_forgets_series_that_went_quiet()
    {
        var clock = new SeriesClock(horizon: 600);
        for (var i = 0; i < 100_000; i++)
        {
            clock.TryNext($"series-{i}", i, out _).Should().BeTrue();
        }

        clock.Count.Should().BeLessThanOrEqualTo(2 * 600, "series quiet for longer than the horizon cannot collide any more");
        clock.TryNext("series-99999", Floor(99_999.5), out var stamp).Should().BeTrue("a recent series is still remembered");
        stamp.Should().Be(100_000);
    }

    private static long Floor(double units) => (long)Math.Floor(units);

    [VictoriaMetricsFact]
    public async Task Fifth_of_a_second_windows_over_telnet_are_stamped_within_a_second_of_their_close_and_the_rest_is_counted()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var time = new HistoricalScheduler(T0);
        var logger = new CollectingLogger();
        TsdbClientStatistics statistics;
        await using (var tsdb = new OpenTsdbClient { Port = server.OpenTsdbPort, Logger = logger })
        {
            using var mc = new MCoordinator
            {
                MStreams = { new MStream("it.fast") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(0.2) } },
                MSinks = { new MSinkTSDB(tsdb) },
                Scheduler = time,
            };

            // 300 windows (60 s): window k holds the single value k and closes at T0 + (k + 1) · 0.2 s.
            for (var k = 0; k < 300; k++)
            {
                time.AdvanceTo(T0 + TimeSpan.FromSeconds(k * 0.2));
                mc.Send("it.fast", k);
            }

            time.AdvanceTo(T0 + TimeSpan.FromSeconds(61));
            mc.Statistics.SinkFailures.Should().Be(0, "a point that cannot be represented is not an error of the sink");
            await tsdb.DisposeAsync();
            statistics = tsdb.Statistics;
        }

        var stored = await server.WaitForAsync("it.fast.sum", (int)statistics.Written);
        stored.Should().HaveCount((int)statistics.Written);
        (statistics.Written + statistics.Dropped).Should().Be(300, "every window is either written or counted");
        statistics.Written.Should().BeInRange(60, 62, "about one point per second");
        foreach (var point in stored)
        {
            var closedAt = T0 + TimeSpan.FromSeconds((point.Value + 1) * 0.2);
            var stamp = DateTimeOffset.FromUnixTimeMilliseconds(point.TimestampMs);
            stamp.Should().BeOnOrBefore(closedAt + TimeSpan.FromSeconds(1), $"window {point.Value} closed at {closedAt:O}");
        }

        logger.Entries.Where(e => e.Message.Contains("it.fast.sum", StringComparison.Ordinal)).Should().ContainSingle("logged once per series")
            .Which.Level.Should().Be(LogLevel.Warning);
    }

    [VictoriaMetricsFact]
    public async Task A_NaN_aggregate_is_skipped_counted_and_logged_once_per_series_without_a_sink_failure()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var time = new HistoricalScheduler(T0);
        var clientLog = new CollectingLogger();
        var coordinatorLog = new CollectingLogger();
        TsdbClientStatistics statistics;
        await using (var tsdb = new OpenTsdbClient { Port = server.OpenTsdbPort, Logger = clientLog })
        {
            using var mc = new MCoordinator
            {
                // One value per window: its standard deviation is NaN (n − 1 = 0), its mean is not.
                MStreams = { new MStream("it.single") { Agg = { MAgg.Mean, MAgg.StdDev }, WindowSize = TimeSpan.FromSeconds(1) } },
                MSinks = { new MSinkTSDB(tsdb) },
                Scheduler = time,
                Logger = coordinatorLog,
            };

            for (var k = 0; k < 200; k++)
            {
                time.AdvanceTo(T0 + TimeSpan.FromSeconds(k));
                mc.Send("it.single", k);
            }

            time.AdvanceTo(T0 + TimeSpan.FromSeconds(201));
            mc.Statistics.SinkFailures.Should().Be(0);
            await tsdb.DisposeAsync();
            statistics = tsdb.Statistics;
        }

        (await server.WaitForAsync("it.single.mean", 200)).Should().HaveCount(200);
        (await server.ReadAsync("it.single.stdev")).Should().BeEmpty();
        statistics.Dropped.Should().Be(200);
        coordinatorLog.Entries.Should().NotContain(e => e.Level >= LogLevel.Error);
        clientLog.Entries.Where(e => e.Message.Contains("it.single.stdev", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Exception.Should().BeNull("a skipped value is not an exception");
    }
}
