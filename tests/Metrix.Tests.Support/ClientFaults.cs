using System.Diagnostics;

namespace Metrix.Tests.Support;

/// <summary>
/// What every database client does with its server down (nothing listens on its port), whatever
/// its protocol: a full buffer makes a send wait for SendTimeout, then drop the point and throw;
/// dispose gives up after DisposeTimeout and counts what was left. Each package's tests run these
/// for its clients.
/// </summary>
public static class ClientFaults
{
    /// <summary>Makes a client of the server at <c>port</c> with the given buffer capacity, send timeout, dispose timeout and reconnect delay.</summary>
    public delegate ITsdbClient Factory(int port, int capacity, TimeSpan sendTimeout, TimeSpan disposeTimeout, TimeSpan reconnectDelay);

    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(20);

    public static async Task A_full_buffer_makes_a_send_wait_for_SendTimeout_then_drop_the_point_and_throw(Factory create, Func<ITsdbClient, TsdbClientStatistics> statistics)
    {
        var client = create(VictoriaMetricsServer.FreePort(), capacity: 2, TimeSpan.FromMilliseconds(100), disposeTimeout: TimeSpan.Zero, Retry);
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
        statistics(client).Dropped.Should().BeGreaterThanOrEqualTo(1);
        await ((IAsyncDisposable)client).DisposeAsync();
    }

    public static async Task Dispose_with_the_server_down_gives_up_after_DisposeTimeout_and_counts_every_point_left(Factory create, Func<ITsdbClient, TsdbClientStatistics> statistics)
    {
        var client = create(VictoriaMetricsServer.FreePort(), capacity: 100, TimeSpan.FromSeconds(1), disposeTimeout: TimeSpan.FromMilliseconds(300), Retry);
        var tags = new Dictionary<string, string> { ["k"] = "v" };
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            client.Send("down", i, tags, start.AddSeconds(i));
        }

        var clock = Stopwatch.StartNew();
        await ((IAsyncDisposable)client).DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        statistics(client).Should().BeEquivalentTo(new { Written = 0L, Dropped = 5L });
        client.Invoking(c => c.Send("down", 1, tags)).Should().Throw<ObjectDisposedException>();
    }
}
