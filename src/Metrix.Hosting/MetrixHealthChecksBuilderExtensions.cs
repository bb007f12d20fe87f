using Metrix;
using Metrix.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Metrix's health check to ASP.NET Core's (or any host's) health checks.</summary>
public static class MetrixHealthChecksBuilderExtensions
{
    /// <summary>How long after a failure or a drop the check reports Degraded: one minute.</summary>
    public static readonly TimeSpan DegradedFor = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Adds the check <paramref name="name"/> of the <see cref="MCoordinator"/> registered with
    /// <c>AddMetrix</c>: Healthy while no sink or aggregation threw and no element was dropped in
    /// the last minute (on the coordinator's clock), Degraded otherwise (or the registration's
    /// <paramref name="failureStatus"/>), with the coordinator's statistics as its data.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddMetrix(mc => { … });
    /// builder.Services.AddHealthChecks().AddMetrix();
    /// app.MapHealthChecks("/health");
    /// </code>
    /// </example>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default: <c>metrix</c>.</param>
    /// <param name="failureStatus">The status reported after a failure. Default: <see cref="HealthStatus.Degraded"/>.</param>
    /// <param name="tags">Tags to filter checks by (say, <c>ready</c>).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static IHealthChecksBuilder AddMetrix(
        this IHealthChecksBuilder builder, string name = "metrix", HealthStatus failureStatus = HealthStatus.Degraded, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.Add(new HealthCheckRegistration(name, services => new MetrixHealthCheck(services), failureStatus, tags));
    }
}
