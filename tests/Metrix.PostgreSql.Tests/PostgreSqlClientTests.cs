using System.Reactive.Concurrency;
using System.Text.Json;
using Metrix.Tests.Support;

namespace Metrix.PostgreSql.Tests;

/// <summary>MCoordinator → MSinkTSDB → PostgreSqlClient → a real PostgreSQL 15 on loopback, read back with SQL.</summary>
public sealed class PostgreSqlClientTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [PostgreSqlFact]
    public async Task Aggregates_arrive_exactly_in_a_table_created_with_its_index()
    {
        await using var server = await PostgreSqlServer.CreateAsync();
        var clock = new HistoricalScheduler(T0);
        var client = new PostgreSqlClient { ConnectionString = server.ConnectionString };
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

        client.Statistics.Written.Should().Be(4);
        var rows = await server.QueryAsync("SELECT time, name, tags::text, value FROM metrix_points WHERE name = 'it.latency.mean' ORDER BY value DESC");
        rows.Select(r => ((DateTime)r[0], (string)r[1], JsonSerializer.Deserialize<Dictionary<string, string>>((string)r[2])!, (double)r[3])).Should().BeEquivalentTo(new[]
        {
            ((T0 + TimeSpan.FromSeconds(10)).UtcDateTime, "it.latency.mean", Tags.Of(("host", "web-1"), ("route", "/home")), 20.0),
            ((T0 + TimeSpan.FromSeconds(10)).UtcDateTime, "it.latency.mean", Tags.Of(("host", "web-1"), ("route", "/about us, \"quoted\" = ✓")), 7.25),
        });
        (await server.QueryAsync("SELECT indexdef FROM pg_indexes WHERE tablename = 'metrix_points'")).Should().ContainSingle()
            .Which[0].Should().BeOfType<string>().Which.Should().Contain("(name, \"time\")");
    }

    [PostgreSqlFact]
    public async Task A_row_the_server_refuses_is_counted_and_logged_and_the_rest_of_its_batch_is_written()
    {
        await using var server = await PostgreSqlServer.CreateAsync();
        var logger = new CollectingLogger();
        var client = new PostgreSqlClient { ConnectionString = server.ConnectionString, Logger = logger, Table = "public.refusals" };
        client.Send("m", 1, Tags.Of(("k", "fine")), T0);
        client.Send("m", 2, Tags.Of(("k", "nul\0inside")), T0.AddSeconds(1));
        client.Send("m", 3, Tags.Of(("k", "fine")), T0.AddSeconds(2));
        client.Send("m", double.NaN, Tags.Of(("k", "fine")), T0.AddSeconds(3));
        await client.DisposeAsync();

        (await server.QueryAsync("SELECT value FROM refusals ORDER BY time")).Select(r => (double)r[0]).Should().Equal(1, 3);
        client.Statistics.Written.Should().Be(2);
        client.Statistics.Dropped.Should().Be(2, "the refused row and the NaN");
        logger.Entries.Should().ContainSingle(e => e.EventId.Name == "PostgreSqlRowRefused");
    }

    [PostgreSqlFact]
    public async Task Points_sent_while_the_server_is_down_or_restarting_are_all_written_exactly_once()
    {
        await using var server = await PostgreSqlServer.CreateAsync(start: false);
        var client = new PostgreSqlClient { ConnectionString = server.ConnectionString, ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        for (var i = 0; i < 5; i++)
        {
            client.Send("restart", i, Tags.Of(("phase", "before start")), T0.AddSeconds(i));
        }

        await Poll.UntilAsync(() => client.Statistics.FailedWrites > 0, "a write to fail before the server starts");
        await server.StartAsync();
        await WaitForRowsAsync(server, 5);
        await server.StopAsync();
        var failedBeforeRestart = client.Statistics.FailedWrites;
        for (var i = 5; i < 10; i++)
        {
            client.Send("restart", i, Tags.Of(("phase", "while down")), T0.AddSeconds(i));
        }

        await Poll.UntilAsync(() => client.Statistics.FailedWrites > failedBeforeRestart, "a write to fail while the server is stopped");
        await server.StartAsync();
        await client.DisposeAsync();

        (await server.QueryAsync("SELECT value FROM metrix_points ORDER BY time")).Select(r => (double)r[0]).Should().Equal(Enumerable.Range(0, 10).Select(i => (double)i));
        client.Statistics.Written.Should().Be(10);
        client.Statistics.FailedWrites.Should().BeGreaterThan(0);
    }

    [Fact]
    public void A_missing_connection_string_is_refused_at_the_first_send_and_a_bad_table_where_it_is_set()
    {
        var tags = new Dictionary<string, string>();
        new PostgreSqlClient().Invoking(c => c.Send("m", 1, tags)).Should().Throw<InvalidOperationException>().WithMessage("*ConnectionString*");
        FluentActions.Invoking(() => new PostgreSqlClient { ConnectionString = "Host=x", Table = "points; DROP TABLE x" })
            .Should().Throw<ArgumentException>().WithParameterName("Table").WithMessage("*'points; DROP TABLE x' is not a table name*");
        new PostgreSqlClient { Table = "metrics.points" }.Table.Should().Be("metrics.points");
    }

    private static async Task WaitForRowsAsync(PostgreSqlServer server, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((long)(await server.QueryAsync("SELECT count(*) FROM metrix_points"))[0][0] >= count)
                {
                    return;
                }
            }
            catch (Npgsql.PostgresException)
            {
                // The table is created with the client's first connection.
            }

            await Task.Delay(50);
        }
    }
}
