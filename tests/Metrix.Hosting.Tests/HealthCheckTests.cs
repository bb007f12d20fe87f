using System.Reactive.Concurrency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metrix.Hosting.Tests;

/// <summary>The "metrix" health check in a real host, on a virtual clock.</summary>
public sealed class HealthCheckTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Healthy_until_a_sink_fails_degraded_for_a_minute_after_then_healthy_again()
    {
        var clock = new HistoricalScheduler(Start);
        var failing = new FailingOnceSink();
        using var host = BuildHost(clock, failing, checks => checks.AddMetrix());
        await host.StartAsync();
        var mc = host.Services.GetRequiredService<MCoordinator>();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var before = (await health.CheckHealthAsync()).Entries["metrix"];
        before.Status.Should().Be(HealthStatus.Healthy);
        before.Data["sink_failures"].Should().Be(0L);

        mc.Send("orders", 1);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));
        var failed = (await health.CheckHealthAsync()).Entries["metrix"];
        failed.Status.Should().Be(HealthStatus.Degraded);
        failed.Data["sink_failures"].Should().Be(1L);
        failed.Data["last_failure_at"].Should().Be(Start + TimeSpan.FromSeconds(1));
        failed.Description.Should().Contain("sink_failures=1");

        clock.AdvanceBy(TimeSpan.FromSeconds(59.5));
        (await health.CheckHealthAsync()).Entries["metrix"].Status.Should().Be(HealthStatus.Degraded, "the failure is 59.5 s old");

        mc.Send("orders", 2);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));
        var recovered = (await health.CheckHealthAsync()).Entries["metrix"];
        recovered.Status.Should().Be(HealthStatus.Healthy, "the failure is a minute old and the next delivery succeeded");
        recovered.Data["delivered"].Should().Be(1L);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_name_failure_status_and_tags_can_be_chosen()
    {
        var clock = new HistoricalScheduler(Start);
        using var host = BuildHost(clock, new FailingOnceSink(), checks => checks.AddMetrix("aggregates", HealthStatus.Unhealthy, ["ready"]));
        await host.StartAsync();
        var mc = host.Services.GetRequiredService<MCoordinator>();
        mc.Send("orders", 1);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

        report.Entries.Should().ContainKey("aggregates").WhoseValue.Status.Should().Be(HealthStatus.Unhealthy);
        await host.StopAsync();
    }

    [Fact]
    public void A_missing_builder_or_name_is_refused()
    {
        FluentActions.Invoking(() => MetrixHealthChecksBuilderExtensions.AddMetrix(null!)).Should().Throw<ArgumentNullException>();
        var services = new ServiceCollection();
        FluentActions.Invoking(() => services.AddHealthChecks().AddMetrix(string.Empty)).Should().Throw<ArgumentException>().WithParameterName("name");
    }

    private static IHost BuildHost(IScheduler clock, IMSink sink, Action<IHealthChecksBuilder> checks)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddMetrix(mc =>
        {
            mc.Scheduler = clock;
            mc.AddMStream(new MStream("orders") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });
            mc.AddMSink(sink);
        });
        checks(builder.Services.AddHealthChecks());
        return builder.Build();
    }

    /// <summary>Throws on its first element, accepts the rest.</summary>
    private sealed class FailingOnceSink : IMSink
    {
        private int _calls;

        public void Emit(MElement element)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                throw new InvalidOperationException("the database is down");
            }
        }
    }
}
