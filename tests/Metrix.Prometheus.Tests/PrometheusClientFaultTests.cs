using Metrix.Tests.Support;

namespace Metrix.Prometheus.Tests;

/// <summary>The Prometheus client with its server down keeps the rules every client keeps (<see cref="ClientFaults"/>).</summary>
public sealed class PrometheusClientFaultTests
{
    private static readonly ClientFaults.Factory Create = (port, capacity, sendTimeout, disposeTimeout, retry) => new PrometheusRemoteWriteClient
    {
        Url = new Uri($"http://127.0.0.1:{port}/api/v1/write"),
        BufferCapacity = capacity,
        SendTimeout = sendTimeout,
        DisposeTimeout = disposeTimeout,
        ReconnectDelay = retry,
    };

    [Fact]
    public Task A_full_buffer_makes_a_send_wait_for_SendTimeout_then_drop_the_point_and_throw() =>
        ClientFaults.A_full_buffer_makes_a_send_wait_for_SendTimeout_then_drop_the_point_and_throw(Create, client => ((PrometheusRemoteWriteClient)client).Statistics);

    [Fact]
    public Task Dispose_with_the_server_down_gives_up_after_DisposeTimeout_and_counts_every_point_left() =>
        ClientFaults.Dispose_with_the_server_down_gives_up_after_DisposeTimeout_and_counts_every_point_left(Create, client => ((PrometheusRemoteWriteClient)client).Statistics);
}
