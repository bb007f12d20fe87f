using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Metrix.Hosting;

/// <summary>
/// Healthy while no sink or aggregation threw and no element was dropped within
/// <see cref="MetrixHealthChecksBuilderExtensions.DegradedFor"/>, on the coordinator's clock;
/// Degraded otherwise. Its data are the coordinator's statistics.
/// </summary>
internal sealed class MetrixHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var coordinator = services.GetRequiredService<MCoordinator>();
        var statistics = coordinator.Statistics;
        var data = new Dictionary<string, object>
        {
            ["delivered"] = statistics.Delivered,
            ["sink_failures"] = statistics.SinkFailures,
            ["aggregation_failures"] = statistics.AggregationFailures,
            ["dropped"] = statistics.Dropped,
            ["tag_set_overflows"] = statistics.TagSetOverflows,
            ["unrouted_measurements"] = statistics.UnroutedMeasurements,
            ["rejected_measurements"] = statistics.RejectedMeasurements,
        };
        if (statistics.LastFailureAt is { } last)
        {
            data["last_failure_at"] = last;
            var since = coordinator.Scheduler.Now - last;
            if (since < MetrixHealthChecksBuilderExtensions.DegradedFor)
            {
                return Task.FromResult(new HealthCheckResult(
                    context.Registration.FailureStatus,
                    $"Metrix: a sink or an aggregation failed, or elements were dropped, {since.TotalSeconds:0.#} s ago ({statistics}); see the Metrix log.",
                    data: data));
            }
        }

        return Task.FromResult(HealthCheckResult.Healthy($"Metrix: nothing failed or was dropped in the last {MetrixHealthChecksBuilderExtensions.DegradedFor.TotalSeconds:0} s.", data));
    }
}
