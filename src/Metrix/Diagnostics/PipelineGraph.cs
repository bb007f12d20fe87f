using System.Globalization;
using System.Text;

namespace Metrix.Diagnostics;

/// <summary>
/// Describes a coordinator's pipeline in Graphviz DOT: each stream (with its batching and default
/// tags) feeds its aggregations, which merge and go to every sink (with its rate limit).
/// </summary>
internal static class PipelineGraph
{
    public static string ToDot(IReadOnlyList<StreamPipeline> streams, IReadOnlyList<SinkLane> lanes)
    {
        var dot = new StringBuilder();
        dot.Append("digraph Metrix {\n");
        dot.Append("  rankdir=LR;\n");
        dot.Append("  node [fontname=\"Helvetica\", fontsize=11];\n");
        dot.Append("  send [shape=plaintext, label=\"Send\"];\n");
        dot.Append("  merge [shape=circle, label=\"merge\"];\n");
        for (var s = 0; s < streams.Count; s++)
        {
            var config = streams[s].Config;
            List<string> lines = [config.Name, Batching(config)];
            if (config.DefaultTags is { } tags)
            {
                lines.Add("default tags: " + string.Join(", ", tags.Select(t => t.Key + "=" + t.Value)));
            }

            dot.Append(CultureInfo.InvariantCulture, $"  stream{s} [shape=box, label={Label([.. lines])}];\n");
            dot.Append(CultureInfo.InvariantCulture, $"  send -> stream{s};\n");
            var a = 0;
            foreach (var (outputName, agg) in config.Agg)
            {
                dot.Append(CultureInfo.InvariantCulture, $"  stream{s}_agg{a} [shape=ellipse, label={Label(config.Name + "." + outputName)}];\n");
                dot.Append(CultureInfo.InvariantCulture, $"  stream{s} -> stream{s}_agg{a};\n");
                dot.Append(CultureInfo.InvariantCulture, $"  stream{s}_agg{a} -> merge;\n");
                a++;
            }
        }

        for (var k = 0; k < lanes.Count; k++)
        {
            var lane = lanes[k];
            var pace = lane.RateLimit > TimeSpan.Zero ? "rate limit " + Seconds(lane.RateLimit) : "no rate limit";
            var label = Label(lane.Sink.ToString() ?? lane.Sink.GetType().Name, pace);
            dot.Append(CultureInfo.InvariantCulture, $"  sink{k} [shape=box, style=rounded, label={label}];\n");
            dot.Append(CultureInfo.InvariantCulture, $"  merge -> sink{k};\n");
        }

        return dot.Append("}\n").ToString();
    }

    private static string Batching(MStream config) => config.WindowSize is { } window
        ? "window " + Seconds(window)
        : "batch of " + config.BatchSize!.Value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s";

    /// <summary>A quoted DOT label: each line's quotes and backslashes escaped, lines joined by DOT's <c>\n</c>.</summary>
    private static string Label(params string[] lines) =>
        "\"" + string.Join("\\n", lines.Select(line => line.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal))) + "\"";
}
