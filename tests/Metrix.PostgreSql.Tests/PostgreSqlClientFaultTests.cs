using Metrix.Tests.Support;

namespace Metrix.PostgreSql.Tests;

/// <summary>The PostgreSQL client with its server down keeps the rules every client keeps (<see cref="ClientFaults"/>).</summary>
public sealed class PostgreSqlClientFaultTests
{
    private static readonly ClientFaults.Factory Create = (port, capacity, sendTimeout, disposeTimeout, retry) => new PostgreSqlClient
    {
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=u;Timeout=1",
        BufferCapacity = capacity,
        SendTimeout = sendTimeout,
        DisposeTimeout = disposeTimeout,
        ReconnectDelay = retry,
    };

    [Fact]
    public Task A_full_buffer_makes_a_send_wait_for_SendTimeout_then_drop_the_point_and_throw() =>
        ClientFaults.A_full_buffer_makes_a_send_wait_for_SendTimeout_then_drop_the_point_and_throw(Create, client => ((PostgreSqlClient)client).Statistics);

    [Fact]
    public Task Dispose_with_the_server_down_gives_up_after_DisposeTimeout_and_counts_every_point_left() =>
        ClientFaults.Dispose_with_the_server_down_gives_up_after_DisposeTimeout_and_counts_every_point_left(Create, client => ((PostgreSqlClient)client).Statistics);
}
