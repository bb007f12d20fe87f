using Metrix.Tests.Support;

namespace Metrix.Tests.Diagnostics;

public sealed class PipelineGraphTests
{
    [Fact]
    public void ToDot_draws_streams_with_batching_and_default_tags_their_aggregations_and_the_sinks_with_rate_limits()
    {
        using var mc = new MCoordinator
        {
            MStreams =
            {
                new MStream("n_articles") { Agg = { MAgg.Sum }, DefaultTags = Tags.Of(("section", "NA")), WindowSize = TimeSpan.FromMinutes(5) },
                new MStream("wc") { Agg = { MAgg.Sum, { "avg", MAgg.Mean } }, BatchSize = 100 },
            },
            MSinks = { new MSinkPrinter(TextWriter.Null), { new MSinkPrinter(), TimeSpan.FromSeconds(2) } },
            RateLimit = TimeSpan.FromSeconds(0.5),
        };

        mc.ToDot().Should().Be("""
            digraph Metrix {
              rankdir=LR;
              node [fontname="Helvetica", fontsize=11];
              send [shape=plaintext, label="Send"];
              merge [shape=circle, label="merge"];
              stream0 [shape=box, label="n_articles\nwindow 300 s\ndefault tags: section=NA"];
              send -> stream0;
              stream0_agg0 [shape=ellipse, label="n_articles.sum"];
              stream0 -> stream0_agg0;
              stream0_agg0 -> merge;
              stream1 [shape=box, label="wc\nbatch of 100"];
              send -> stream1;
              stream1_agg0 [shape=ellipse, label="wc.sum"];
              stream1 -> stream1_agg0;
              stream1_agg0 -> merge;
              stream1_agg1 [shape=ellipse, label="wc.avg"];
              stream1 -> stream1_agg1;
              stream1_agg1 -> merge;
              sink0 [shape=box, style=rounded, label="MSinkPrinter\nrate limit 0.5 s"];
              merge -> sink0;
              sink1 [shape=box, style=rounded, label="MSinkPrinter(Console.Out)\nrate limit 2 s"];
              merge -> sink1;
            }

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ToDot_escapes_quotes_and_backslashes_in_names()
    {
        using var mc = new MCoordinator { MStreams = { new MStream("a\"b\\n") { Agg = { MAgg.Sum }, BatchSize = 1 } } };

        mc.ToDot().Should().Contain("""label="a\"b\\n\nbatch of 1"];""");
    }
}
