using System.Diagnostics;
using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks.Writing;

/// <summary>
/// Every database client with its server down (nothing listens on its port): a full buffer makes
/// a send wait for SendTimeout, then drop the point and throw; dispose gives up after
/// DisposeTimeout and counts what was left. Same rules, whatever the protocol.
/// </summary>
public sealed class DatabaseClientFaultTests
{
    public static TheoryData<string> Clients => ["opentsdb-telnet", "opentsdb-http", "influxdb", "graphite", "prometheus", "postgresql"];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_full_buffer_makes_a_send_wait_for_SendTimeout_then_drop_the_point_and_throw(string kind)
    {
        var client = Create(kind, capacity: 2, TimeSpan.FromMilliseconds(100), disposeTimeout: TimeSpan.Zero);
        var tags = new Dictionary<string, string> { ["k"] = "v" };
        var start = DateTimeOffset.UtcNow;

        // The writer holds one batch (retrying it) and the buffer two more points; then sends wait.
        var timeouts = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20 && timeouts == 0; i++)
        {
            try
            {
                client.Send("full", i, tags, start.AddSeconds(i));
            }
            catch (TimeoutException ex)
            {
                timeouts++;
                ex.Message.Should().Contain("stayed full");
                clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(90), "the send waited for SendTimeout");
            }
        }

        timeouts.Should().Be(1);
        Statistics(client).Dropped.Should().BeGreaterThanOrEqualTo(1);
        await ((IAsyncDisposable)client).DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Dispose_with_the_server_down_gives_up_after_DisposeTimeout_and_counts_every_point_left(string kind)
    {
        var client = Create(kind, capacity: 100, TimeSpan.FromSeconds(1), disposeTimeout: TimeSpan.FromMilliseconds(300));
        var tags = new Dictionary<string, string> { ["k"] = "v" };
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            client.Send("down", i, tags, start.AddSeconds(i));
        }

        var clock = Stopwatch.StartNew();
        await ((IAsyncDisposable)client).DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        Statistics(client).Should().BeEquivalentTo(new { Written = 0L, Dropped = 5L });
        client.Invoking(c => c.Send("down", 1, tags)).Should().Throw<ObjectDisposedException>();
    }

    private static ITsdbClient Create(string kind, int capacity, TimeSpan sendTimeout, TimeSpan disposeTimeout)
    {
        var port = VictoriaMetricsServer.FreePort(); // free: nothing listens there
        var retry = TimeSpan.FromMilliseconds(20);
        return kind switch
        {
            "opentsdb-telnet" or "opentsdb-http" => new OpenTsdbClient
            {
                Port = port,
                Protocol = kind == "opentsdb-http" ? OpenTsdbProtocol.Http : OpenTsdbProtocol.Telnet,
                BufferCapacity = capacity,
                SendTimeout = sendTimeout,
                DisposeTimeout = disposeTimeout,
                ReconnectDelay = retry,
            },
            "influxdb" => new InfluxDbClient { Url = new Uri($"http://127.0.0.1:{port}"), Database = "d", BufferCapacity = capacity, SendTimeout = sendTimeout, DisposeTimeout = disposeTimeout, ReconnectDelay = retry },
            "graphite" => new GraphiteClient { Port = port, BufferCapacity = capacity, SendTimeout = sendTimeout, DisposeTimeout = disposeTimeout, ReconnectDelay = retry },
            "prometheus" => new PrometheusRemoteWriteClient { Url = new Uri($"http://127.0.0.1:{port}/api/v1/write"), BufferCapacity = capacity, SendTimeout = sendTimeout, DisposeTimeout = disposeTimeout, ReconnectDelay = retry },
            "postgresql" => new PostgreSqlClient { ConnectionString = $"Host=127.0.0.1;Port={port};Username=u;Timeout=1", BufferCapacity = capacity, SendTimeout = sendTimeout, DisposeTimeout = disposeTimeout, ReconnectDelay = retry },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static TsdbClientStatistics Statistics(ITsdbClient client) => client switch
    {
        OpenTsdbClient c => c.Statistics,
        InfluxDbClient c => c.Statistics,
        GraphiteClient c => c.Statistics,
        PrometheusRemoteWriteClient c => c.Statistics,
        PostgreSqlClient c => c.Statistics,
        _ => throw new ArgumentOutOfRangeException(nameof(client)),
    };
}
