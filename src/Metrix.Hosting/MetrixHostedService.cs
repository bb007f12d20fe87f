using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Metrix.Hosting;

/// <summary>
/// Ties the coordinator to the host's lifetime: creates and checks it when the host starts (so a
/// configuration error stops the start with its message), and flushes and drains every sink when
/// the host stops, so a host that stops loses nothing.
/// </summary>
internal sealed class MetrixHostedService(IServiceProvider services) : IHostedService
{
    private MCoordinator? _coordinator;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var coordinator = services.GetRequiredService<MCoordinator>();
        if (coordinator.MStreams.Count == 0)
        {
            throw new InvalidOperationException(
                "Metrix has no MStream: add streams in configuration (Metrix:Streams) or in AddMetrix(mc => mc.AddMStream(new MStream(\"name\") { … })).");
        }

        if (coordinator.MSinks.Count == 0)
        {
            throw new InvalidOperationException(
                "Metrix has no sink, so its aggregates would go nowhere: add one in configuration (Metrix:Sinks) or in AddMetrix(mc => mc.AddMSink(…)).");
        }

        _coordinator = coordinator;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_coordinator is { } coordinator)
        {
            // Disposing flushes the open windows and batches and delivers them (bounded by the
            // coordinator's DisposeTimeout); the host's shutdown token bounds how long we wait.
            await coordinator.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
