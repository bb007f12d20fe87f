using Metrix.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metrix.Hosting.Tests;

/// <summary>AddMetrix in a real generic host, built in each test.</summary>
public sealed class AddMetrixTests
{
    [Fact]
    public async Task A_host_that_stops_flushes_open_windows_to_every_sink()
    {
        var sink = new CollectingSink();
        using var host = BuildHost(services => services.AddMetrix(mc =>
        {
            mc.AddMStream(new MStream("orders") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromHours(1) });
            mc.AddMSink(sink);
        }));
        await host.StartAsync();
        var mc = host.Services.GetRequiredService<MCoordinator>();

        mc.Send("orders", 3);
        mc.Send("orders", 4);
        await host.StopAsync();

        sink.Elements.Should().Equal(new MElement("orders.sum", 7), new MElement("orders.count", 2));
        FluentActions.Invoking(() => mc.Send("orders", 1)).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task Metrix_starts_before_and_stops_after_services_registered_before_it()
    {
        var sink = new CollectingSink();
        using var host = BuildHost(services => services
            .AddHostedService<RecordingService>()
            .AddMetrix(mc =>
            {
                mc.AddMStream(new MStream("recorded") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromHours(1) });
                mc.AddMSink(sink);
            }));

        await host.StartAsync();
        await host.StopAsync();

        // Recorded in the other service's StartAsync (1) and StopAsync (10): both were aggregated.
        sink.Elements.Should().Equal(new MElement("recorded.sum", 11));
    }

    [Fact]
    public async Task The_coordinator_is_one_singleton_that_logs_through_the_hosts_logger_factory()
    {
        var provider = new CollectingLoggerProvider();
        using var host = BuildHost(
            services => services.AddMetrix(mc =>
            {
                mc.AddMStream(new MStream("n") { Agg = { new MAgg("boom", _ => throw new InvalidOperationException("boom")) }, BatchSize = 1 });
                mc.AddMSink(new CollectingSink());
            }),
            logging => logging.AddProvider(provider));
        await host.StartAsync();

        var mc = host.Services.GetRequiredService<MCoordinator>();
        host.Services.GetRequiredService<MCoordinator>().Should().BeSameAs(mc);
        mc.Send("n", 1);
        await host.StopAsync();

        provider.Messages.Should().Contain(m => m.Category == "Metrix" && m.Text.Contains("n.boom"));
    }

    [Fact]
    public async Task An_invalid_stream_stops_the_host_from_starting_with_its_message()
    {
        using var host = BuildHost(services => services.AddMetrix(mc =>
        {
            mc.AddMStream(new MStream("orders") { Agg = { MAgg.Sum } });
            mc.AddMSink(new CollectingSink());
        }));

        await FluentActions.Awaiting(() => host.StartAsync())
            .Should().ThrowAsync<ArgumentException>().WithMessage("*'orders'*WindowSize or a BatchSize*");
    }

    [Fact]
    public async Task A_coordinator_without_streams_or_sinks_stops_the_host_from_starting()
    {
        using var noStreams = BuildHost(services => services.AddMetrix(mc => mc.AddMSink(new CollectingSink())));
        using var noSinks = BuildHost(services => services.AddMetrix(mc =>
            mc.AddMStream(new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 1 })));

        await FluentActions.Awaiting(() => noStreams.StartAsync())
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("*no MStream*AddMetrix*");
        await FluentActions.Awaiting(() => noSinks.StartAsync())
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("*no sink*AddMSink*");
    }

    [Fact]
    public async Task AddMetrix_calls_compose_on_one_coordinator_in_the_order_they_were_made()
    {
        var sink = new CollectingSink();
        var streamsSeenByEachCall = new List<string[]>();
        using var host = BuildHost(services => services
            .AddMetrix(mc =>
            {
                streamsSeenByEachCall.Add([.. mc.MStreams.Select(s => s.Name)]);
                mc.AddMStream(new MStream("orders") { Agg = { MAgg.Sum }, BatchSize = 2 });
            })
            .AddMetrix((_, mc) =>
            {
                streamsSeenByEachCall.Add([.. mc.MStreams.Select(s => s.Name)]);
                mc.AddMStream(new MStream("refunds") { Agg = { MAgg.Count }, BatchSize = 1 });
                mc.AddMSink(sink);
            }));
        await host.StartAsync();

        var mc = host.Services.GetRequiredService<MCoordinator>();
        streamsSeenByEachCall.Should().BeEquivalentTo(new[] { Array.Empty<string>(), ["orders"] }, o => o.WithStrictOrdering());
        host.Services.GetServices<IHostedService>().OfType<MetrixHostedService>().Should().ContainSingle("one coordinator, one hosted service");
        mc.Send("orders", 1);
        mc.Send("orders", 2);
        mc.Send("refunds", 5);
        await host.StopAsync();

        sink.Elements.Should().Equal(new MElement("orders.sum", 3), new MElement("refunds.count", 1));
    }

    [Fact]
    public async Task A_stream_added_by_two_AddMetrix_calls_stops_the_host_naming_it()
    {
        using var host = BuildHost(services => services
            .AddMetrix(mc => mc.AddMStream(new MStream("orders") { Agg = { MAgg.Sum }, BatchSize = 2 }))
            .AddMetrix(mc => mc.AddMStream(new MStream("orders") { Agg = { MAgg.Max }, BatchSize = 2 })));

        await FluentActions.Awaiting(() => host.StartAsync())
            .Should().ThrowAsync<ArgumentException>().WithMessage("*'orders'*already*");
        FluentActions.Invoking(() => new ServiceCollection().AddMetrix((Action<MCoordinator>)null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public async Task The_configure_callback_can_use_services()
    {
        var sink = new CollectingSink();
        using var host = BuildHost(services => services
            .AddSingleton<IMSink>(sink)
            .AddMetrix((provider, mc) =>
            {
                mc.AddMStream(new MStream("n") { Agg = { MAgg.Max }, BatchSize = 2 });
                mc.AddMSink(provider.GetRequiredService<IMSink>());
            }));
        await host.StartAsync();

        var mc = host.Services.GetRequiredService<MCoordinator>();
        mc.Send("n", 1);
        mc.Send("n", 5);
        await host.StopAsync();

        sink.Elements.Should().Equal(new MElement("n.max", 5));
    }

    private static IHost BuildHost(Action<IServiceCollection> services, Action<ILoggingBuilder>? logging = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        services(builder.Services);
        return builder.Build();
    }

    /// <summary>Sends through the coordinator in its own start and stop.</summary>
    private sealed class RecordingService(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<MCoordinator>().Send("recorded", 1);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<MCoordinator>().Send("recorded", 10);
            return Task.CompletedTask;
        }
    }
}
