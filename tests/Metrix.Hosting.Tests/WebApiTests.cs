using System.Net;
using Metrix.Tests.Support;
using Microsoft.AspNetCore.Builder;
using WebApi;

namespace Metrix.Hosting.Tests;

/// <summary>
/// samples/WebApi on a real Kestrel on loopback: per-route latency percentiles and request counts
/// by route, method and status code, from ASP.NET Core's own instrument through the bridge.
/// </summary>
public sealed class WebApiTests
{
    private const string Count = WebApiApp.RequestDuration + ".count";

    [Fact]
    public async Task Requests_are_counted_by_route_and_status_code_with_latency_percentiles_including_one_that_throws()
    {
        var sink = new CollectingSink();
        var app = WebApiApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", "--Logging:LogLevel:Default=Warning"], TimeSpan.FromHours(1), mc => mc.AddMSink(sink));
        await app.StartAsync();
        using (var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) })
        {
            for (var i = 0; i < 3; i++)
            {
                (await http.GetAsync("/hello")).StatusCode.Should().Be(HttpStatusCode.OK);
            }

            (await http.GetAsync("/orders/7")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await http.GetAsync("/orders/0")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await http.GetAsync("/boom")).StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        }

        // Stopping drains the requests (ASP.NET Core records each as it ends), then Metrix flushes.
        await app.StopAsync();
        await app.DisposeAsync();

        var counts = sink.Elements.Where(e => e.Name == Count).ToDictionary(e => (e.Tags!["http.route"], e.Tags["http.response.status_code"]), e => e.Value);
        counts.Should().Equal(new Dictionary<(string, string), double>
        {
            [("/hello", "200")] = 3,
            [("/orders/{id:int}", "200")] = 1,
            [("/orders/{id:int}", "404")] = 1,
            [("/boom", "500")] = 1,
        });
        sink.Elements.Single(e => e.Name == Count && e.Tags!["http.route"] == "/boom").Tags
            .Should().Contain("error.type", typeof(InvalidOperationException).FullName!).And.Contain("http.request.method", "GET");
        sink.Elements.Where(e => e.Name == Count).Should().OnlyContain(e => !e.Tags!.ContainsKey("url.scheme") && !e.Tags.ContainsKey("network.protocol.version"));

        var p50 = sink.Elements.Single(e => e.Name == WebApiApp.RequestDuration + ".p50" && e.Tags!["http.route"] == "/hello").Value;
        var p99 = sink.Elements.Single(e => e.Name == WebApiApp.RequestDuration + ".p99" && e.Tags!["http.route"] == "/hello").Value;
        p50.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(p99);
        p99.Should().BeLessThan(10, "seconds per request on loopback");
    }
}
