// A minimal API with per-route p50/p99 latency and request counts from ASP.NET Core's own
// instrument. Run: dotnet run --project samples/WebApi, then curl http://localhost:5000/hello
// (or /orders/7, /orders/0, /boom, /health); every 10 s the log shows one line per
// (aggregation, route, method, status code).
using WebApi;

var app = WebApiApp.Build(args, TimeSpan.FromSeconds(10));
await app.RunAsync();
