using Metrix;

namespace WebApi;

/// <summary>
/// A minimal API whose per-route latency percentiles and request counts come from ASP.NET Core's
/// own <c>http.server.request.duration</c> histogram, followed by Metrix: no middleware of ours,
/// so status codes are right even when an endpoint throws.
/// </summary>
public static class WebApiApp
{
    /// <summary>The ASP.NET Core instrument: seconds per request, tagged with route, method and status code.</summary>
    public const string RequestDuration = "http.server.request.duration";

    /// <summary>Builds the app; <paramref name="configure"/> adds to the coordinator (say, a sink).</summary>
    public static WebApplication Build(string[] args, TimeSpan window, Action<MCoordinator>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMetrix((services, mc) =>
        {
            mc.AddMStream(new MStream(RequestDuration)
            {
                // Seconds per request: p50 and p99 within 1 %, and the count, per route and status code.
                Agg = { { "p50", MAgg.Percentile(50, 0.01) }, { "p99", MAgg.Percentile(99, 0.01) }, MAgg.Count },
                WindowSize = window,
            });
            mc.AddMSink(new MSinkLogger(services.GetRequiredService<ILoggerFactory>().CreateLogger("Aggregates")));
            configure?.Invoke(mc);

            // Tags that do not tell requests apart here are left out, so each (route, method,
            // status code) is one group.
            mc.ListenTo("Microsoft.AspNetCore.Hosting", new MeterListenOptions
            {
                DropTags = { "url.scheme", "network.protocol.name", "network.protocol.version", "server.address", "server.port" },
            });
        });
        builder.Services.AddHealthChecks().AddMetrix();

        var app = builder.Build();
        app.MapGet("/hello", () => "Hello!");
        app.MapGet("/orders/{id:int}", (int id) => id > 0 ? Results.Ok(new { id }) : Results.NotFound());
        app.MapGet("/boom", string () => throw new InvalidOperationException("boom"));
        app.MapHealthChecks("/health");
        return app;
    }
}
