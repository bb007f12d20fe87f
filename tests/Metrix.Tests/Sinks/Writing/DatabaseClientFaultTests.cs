using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks.Writing;

/// <summary>
/// The clients of this package with their server down (see <see cref="ClientFaults"/>; the
/// Prometheus and PostgreSQL packages' tests run the same rules for theirs).
/// </summary>
public sealed class DatabaseClientFaultTests
{
    public static TheoryData<string> Clients => ["opentsdb-telnet", "opentsdb-http", "influxdb", "graphite"];

    [Theory]
    [MemberData(nameof(Clients))]
    public Task A_full_buffer_makes_a_send_wait_for_SendTimeout_then_drop_the_point_and_throw(string kind) =>
        ClientFaults.A_full_buffer_makes_a_send_wait_for_SendTimeout_then_drop_the_point_and_throw(Factory(kind), Statistics);

    [Theory]
    [MemberData(nameof(Clients))]
    public Task Dispose_with_the_server_down_gives_up_after_DisposeTimeout_and_counts_every_point_left(string kind) =>
        ClientFaults.Dispose_with_the_server_down_gives_up_after_DisposeTimeout_and_counts_every_point_left(Factory(kind), Statistics);

    private static ClientFaults.Factory Factory(string kind) => (port, capacity, sendTimeout, disposeTimeout, retry) => kind switch
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
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static TsdbClientStatistics Statistics(ITsdbClient client) => client switch
    {
        OpenTsdbClient c => c.Statistics,
        InfluxDbClient c => c.Statistics,
        GraphiteClient c => c.Statistics,
        _ => throw new ArgumentOutOfRangeException(nameof(client)),
    };
}
