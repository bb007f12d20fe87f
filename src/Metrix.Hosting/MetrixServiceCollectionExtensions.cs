using Metrix;
using Metrix.Hosting;
using Metrix.Hosting.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Metrix with a service collection (the generic host's).</summary>
public static class MetrixServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="MCoordinator"/> (its <see cref="MCoordinator.Logger"/> from the
    /// host's <see cref="ILoggerFactory"/>, category <c>Metrix</c>), configured by
    /// <paramref name="configure"/>, and a hosted service that creates and validates it when the
    /// host starts and flushes and drains every sink when the host stops. That hosted service runs
    /// first at start and last at stop, whatever the order of registration, so the measurements of
    /// other hosted services, up to their own stop, are all aggregated and delivered.
    /// </summary>
    /// <remarks>
    /// Every <c>AddMetrix</c> call configures the same coordinator (an application has one): the
    /// calls compose, applied in the order they were made, so a library or a feature can add its
    /// streams beside the application's configuration. A stream name used by two calls stops the
    /// host at start, naming the stream.
    /// </remarks>
    public static IServiceCollection AddMetrix(this IServiceCollection services, Action<MCoordinator> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddMetrix((_, coordinator) => configure(coordinator));
    }

    /// <summary>
    /// Registers Metrix configured from <paramref name="configuration"/> (typically
    /// <c>builder.Configuration.GetSection("Metrix")</c>): the coordinator's settings, its streams
    /// and the built-in sinks, as <see cref="AddMetrix(IServiceCollection, Action{MCoordinator})"/>
    /// does in code. The section is read when the host starts; an invalid one stops the start with
    /// an exception naming the configuration path (e.g. <c>Metrix:Streams:wc:WindowSize</c>) and
    /// the problem.
    /// </summary>
    /// <example>
    /// <code>
    /// // appsettings.json: { "Metrix": { "Streams": { "wc": { "Agg": [ "sum", "p99" ], "WindowSize": "00:05:00" } },
    /// //                                "Sinks": { "Logger": { "Level": "Information" } } } }
    /// builder.Services.AddMetrix(builder.Configuration.GetSection("Metrix"));
    /// </code>
    /// </example>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddMetrix(this IServiceCollection services, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddMetrix(configuration, (_, _) => { });
    }

    /// <summary>
    /// Registers Metrix configured from <paramref name="configuration"/>, then by
    /// <paramref name="configure"/> (streams, sinks and listeners added in code join the configured ones).
    /// </summary>
    /// <inheritdoc cref="AddMetrix(IServiceCollection, IConfigurationSection)" path="/remarks"/>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddMetrix(this IServiceCollection services, IConfigurationSection configuration, Action<IServiceProvider, MCoordinator> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddMetrix((provider, coordinator) =>
        {
            MetrixConfigurationReader.Apply(configuration, coordinator, provider);
            configure(provider, coordinator);
        });
    }

    /// <summary>As <see cref="AddMetrix(IServiceCollection, Action{MCoordinator})"/>, with the service provider (for sinks that are services).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddMetrix(this IServiceCollection services, Action<IServiceProvider, MCoordinator> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (!services.Any(service => service.ServiceType == typeof(MCoordinator)))
        {
            services.AddSingleton(provider =>
            {
                var coordinator = new MCoordinator
                {
                    Logger = provider.GetService<ILoggerFactory>()?.CreateLogger("Metrix") ?? NullLogger.Instance,
                };
                foreach (var setup in provider.GetServices<MetrixSetup>())
                {
                    setup.Apply(provider, coordinator);
                }

                return coordinator;
            });

            // First among the hosted services: the host starts them in order and stops them in reverse,
            // so Metrix is ready before any service that records, and flushes after the last one stopped.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MetrixHostedService>());
        }

        services.AddSingleton(new MetrixSetup(configure));
        return services;
    }
}
