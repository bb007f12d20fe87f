using Metrix.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metrix.Hosting.Tests;

/// <summary>A real host, a real database client and a real VictoriaMetrics server on loopback.</summary>
public sealed class OwnedSinksHostTests
{
    [VictoriaMetricsFact]
    public async Task A_host_stopped_right_after_a_send_has_written_the_last_window_to_the_database()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var client = new OpenTsdbClient { Port = server.OpenTsdbPort, Protocol = OpenTsdbProtocol.Http };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMetrix(mc =>
        {
            mc.AddMStream(new MStream("host.orders") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromHours(1) });
            mc.AddMSink(new MSinkTSDB(client) { OwnsClient = true });
        });
        using var host = builder.Build();
        await host.StartAsync();

        host.Services.GetRequiredService<MCoordinator>().Send("host.orders", 3, ("country", "NL"));
        await host.StopAsync();

        client.Statistics.Written.Should().Be(1, "the host's stop disposed the coordinator, which disposed the client it owns after the last window");
        (await server.WaitForAsync("host.orders.sum", 1)).Single().Value.Should().Be(3);
        client.Invoking(c => c.Send("host.orders.sum", 1, new Dictionary<string, string>())).Should().Throw<ObjectDisposedException>();
    }
}
