// A console host: the shop records orders with a System.Diagnostics.Metrics Meter; Metrix follows
// that meter, aggregates per second and logs the results; stopping the host flushes the last window.
// Run: dotnet run --project samples/HostedConsole
using HostedConsole;
using Metrix;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
builder.Services.AddHostedService<Shop>();
builder.Services.AddMetrix((services, mc) =>
{
    mc.AddMStream(new MStream("shop.orders") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });
    mc.AddMStream(new MStream("shop.basket") { Agg = { MAgg.Mean, MAgg.Percentile(90, 0.01) }, WindowSize = TimeSpan.FromSeconds(1) });
    mc.AddMSink(new MSinkLogger(services.GetRequiredService<ILoggerFactory>().CreateLogger("Aggregates")));
    mc.ListenTo(Shop.MeterName);
});

await builder.Build().RunAsync();
