using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace HostedConsole;

/// <summary>Pretends to take orders for about three seconds, then stops the application.</summary>
internal sealed class Shop(IHostApplicationLifetime lifetime) : BackgroundService
{
    public const string MeterName = "HostedConsole.Shop";

    private static readonly string[] Countries = ["NL", "DE", "FR"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var meter = new Meter(MeterName);
        var orders = meter.CreateCounter<int>("shop.orders");
        var basket = meter.CreateHistogram<double>("shop.basket");
        var random = new Random(11);
        for (var tick = 0; tick < 30 && !stoppingToken.IsCancellationRequested; tick++)
        {
            for (var i = 0; i < 20; i++)
            {
                var country = new KeyValuePair<string, object?>("country", Countries[random.Next(Countries.Length)]);
                orders.Add(1, country);
                basket.Record(10 + (random.NextDouble() * 90));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
        }

        lifetime.StopApplication();
    }
}
