using System.Text.Json;
using Metrix.Tests.Support;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Metrix.Tests.Sinks;

/// <summary>
/// MSinkLogger through real structured loggers: the tags arrive as an object, the value as a
/// number and the name as a string, not as their display text. Runs alone: one test redirects the
/// process's console.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class StructuredLoggingTests
{
    private static readonly MElement Tagged = new("latency.p99", 12.5, Tags.Of(("route", "/hello"), ("status", "200")));

    [Fact]
    public void Serilog_renders_the_tags_as_an_object_and_the_value_as_a_number()
    {
        var events = new CollectingSerilogSink();
        using (var factory = LoggerFactory.Create(logging => logging.AddSerilog(new LoggerConfiguration().WriteTo.Sink(events).CreateLogger(), dispose: true)))
        {
            var sink = new MSinkLogger(factory.CreateLogger("Aggregates"));
            sink.Emit(Tagged);
            sink.Emit(new MElement("wc.sum", 340.4));
        }

        using var tagged = JsonDocument.Parse(events.Json[0]);
        tagged.RootElement.GetProperty("Tags").ValueKind.Should().Be(JsonValueKind.Object);
        tagged.RootElement.GetProperty("Tags").GetProperty("route").GetString().Should().Be("/hello");
        tagged.RootElement.GetProperty("Tags").GetProperty("status").GetString().Should().Be("200");
        tagged.RootElement.GetProperty("Value").GetDouble().Should().Be(12.5);
        tagged.RootElement.GetProperty("Name").GetString().Should().Be("latency.p99");
        using var untagged = JsonDocument.Parse(events.Json[1]);
        untagged.RootElement.GetProperty("Tags").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Microsofts_json_console_formatter_writes_the_name_and_value_natively_and_the_tags_in_the_message()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            using var factory = LoggerFactory.Create(logging => logging.AddJsonConsole());
            new MSinkLogger(factory.CreateLogger("Aggregates")).Emit(Tagged);
        }
        finally
        {
            Console.SetOut(previous);
        }

        using var line = JsonDocument.Parse(output.ToString().Trim().Split('\n').Single(l => l.Contains("Aggregates", StringComparison.Ordinal)));
        var state = line.RootElement.GetProperty("State");
        state.GetProperty("Value").GetDouble().Should().Be(12.5);
        state.GetProperty("Name").GetString().Should().Be("latency.p99");
        line.RootElement.GetProperty("Message").GetString().Should().Be("MElement(name='latency.p99', value=12.5, tags={'route': '/hello', 'status': '200'})");
    }

    /// <summary>Formats each Serilog event as compact JSON (what a JSON file or Seq receives). Thread-safe.</summary>
    private sealed class CollectingSerilogSink : ILogEventSink
    {
        private readonly List<string> _json = [];

        public IReadOnlyList<string> Json
        {
            get
            {
                lock (_json)
                {
                    return [.. _json];
                }
            }
        }

        public void Emit(LogEvent logEvent)
        {
            var writer = new StringWriter();
            new CompactJsonFormatter().Format(logEvent, writer);
            lock (_json)
            {
                _json.Add(writer.ToString());
            }
        }
    }
}
