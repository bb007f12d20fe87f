using System.Collections.ObjectModel;
using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>How a send's tags become a group: by content, and capped per stream.</summary>
public sealed class TagSetTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void Fresh_dictionaries_and_other_dictionary_types_with_the_same_content_share_a_group()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 4 });

        mc.Send("n", 1, new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        mc.Send("n", 2, new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        mc.Send("n", 3, new ReadOnlyDictionary<string, string>(Tags.Of(("a", "1"), ("b", "2"))));
        mc.Send("n", 4, new SortedDictionary<string, string> { ["a"] = "1", ["b"] = "2" }.AsReadOnly());
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("n.sum", 10, Tags.Of(("a", "1"), ("b", "2"))));
    }

    [Fact]
    public void Tags_that_repeat_a_default_join_the_default_group()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n")
        {
            Agg = { MAgg.Count },
            BatchSize = 2,
            DefaultTags = Tags.Of(("section", "NA")),
        });

        mc.Send("n", 1);
        mc.Send("n", 1, Tags.Of(("section", "NA")));
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("n.count", 2, Tags.Of(("section", "NA"))));
    }

    [Fact]
    public void Beyond_MaxTagSets_new_tag_sets_fold_into_one_overflow_group_counted_and_logged_once()
    {
        var logger = new CollectingLogger();
        var sink = new CollectingSink();
        using var mc = new MCoordinator
        {
            // The default (untagged) tag set is one of the three.
            MStreams = { new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 3 } },
            MSinks = { sink },
            Scheduler = _time.Clock,
            Logger = logger,
        };

        mc.Send("n", 1);
        mc.Send("n", 2, Tags.Of(("user", "a")));
        mc.Send("n", 3, Tags.Of(("user", "b")));
        mc.Send("n", 4, Tags.Of(("user", "c")));
        mc.Send("n", 5, Tags.Of(("user", "d")));
        mc.Send("n", 6, Tags.Of(("user", "a")));
        _time.AdvanceToSeconds(1);

        var overflow = Tags.Of(("metrix.overflow", "true"));
        sink.Elements.Should().Equal(
            new MElement("n.sum", 1),
            new MElement("n.sum", 8, Tags.Of(("user", "a"))),
            new MElement("n.sum", 3, Tags.Of(("user", "b"))),
            new MElement("n.sum", 9, overflow),
            new MElement("n.count", 1),
            new MElement("n.count", 2, Tags.Of(("user", "a"))),
            new MElement("n.count", 1, Tags.Of(("user", "b"))),
            new MElement("n.count", 2, overflow));
        mc.Statistics.TagSetOverflows.Should().Be(2);
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 4).Which.Message.Should().Contain("n").And.Contain("3");
    }

    [Fact]
    public void The_cap_holds_per_window_and_overflowed_tag_sets_are_not_remembered()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 2 });

        for (var i = 0; i < 1_000; i++)
        {
            mc.Send("n", 1, Tags.Of(("id", $"{i}")));
        }

        mc.Stream("n").Tags.RememberedCount.Should().Be(2, "the 998 tag sets beyond the cap are not remembered");
        _time.AdvanceToSeconds(1);
        mc.Send("n", 1, Tags.Of(("id", "5")));
        _time.AdvanceToSeconds(2);

        sink.Elements.Should().Equal(
            new MElement("n.count", 1, Tags.Of(("id", "0"))),
            new MElement("n.count", 1, Tags.Of(("id", "1"))),
            new MElement("n.count", 998, Tags.Of(("metrix.overflow", "true"))),
            new MElement("n.count", 1, Tags.Of(("id", "5"))));
    }

    [Fact]
    public void MaxTagSets_below_one_is_rejected_naming_the_stream()
    {
        FluentActions.Invoking(() => new MStream("n") { MaxTagSets = 0 })
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'n'*MaxTagSets*");
        new MStream("n").MaxTagSets.Should().Be(MStream.DefaultMaxTagSets);
    }
}
