using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>Streams with <c>BatchSize</c>: every n successive elements form a batch.</summary>
public sealed class BatchTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void Batch_of_5_sums_each_five_successive_elements()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum }, BatchSize = 5 });

        for (var i = 0; i < 12; i++)
        {
            mc.Send("foo", i);
        }

        _time.Tick();

        // 0+1+2+3+4 and 5+…+9; the last two elements wait for their batch to fill.
        sink.Elements.Should().Equal(new MElement("foo.sum", 10), new MElement("foo.sum", 35));
    }

    [Fact]
    public void Batch_of_5_applies_default_tags_and_lets_element_tags_override_and_extend_them()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("foo")
        {
            Agg = { MAgg.Sum },
            BatchSize = 5,
            DefaultTags = Tags.Of(("foo", "bar")),
        });

        mc.Send("foo", 1);
        mc.Send("foo", 2, Tags.Of(("foo", "qux")));
        mc.Send("foo", 3);
        mc.Send("foo", 4, Tags.Of(("bat", "baz")));
        mc.Send("foo", 5, Tags.Of(("foo", "qux")));
        _time.Tick();

        sink.Elements.Should().Equal(
            new MElement("foo.sum", 4, Tags.Of(("foo", "bar"))),
            new MElement("foo.sum", 7, Tags.Of(("foo", "qux"))),
            new MElement("foo.sum", 4, Tags.Of(("foo", "bar"), ("bat", "baz"))));
    }

    [Fact]
    public void Batch_of_10_with_groups_emits_each_aggregation_for_each_group_in_order_of_first_appearance()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Min, MAgg.Max }, BatchSize = 10 });
        IReadOnlyDictionary<string, string>?[] tagCycle = [null, Tags.Of(("foo", "bar")), Tags.Of(("bat", "baz"))];

        for (var i = 0; i < 10; i++)
        {
            mc.Send("foo", i, tagCycle[i % 3]);
        }

        _time.Tick();

        // None gets 0,3,6,9; foo:bar gets 1,4,7; bat:baz gets 2,5,8.
        sink.Elements.Should().Equal(
            new MElement("foo.min", 0),
            new MElement("foo.min", 1, Tags.Of(("foo", "bar"))),
            new MElement("foo.min", 2, Tags.Of(("bat", "baz"))),
            new MElement("foo.max", 9),
            new MElement("foo.max", 7, Tags.Of(("foo", "bar"))),
            new MElement("foo.max", 8, Tags.Of(("bat", "baz"))));
    }

    [Fact]
    public void Batch_of_10_with_default_tags_groups_by_the_merged_tag_set()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("foo")
        {
            Agg = { MAgg.Count, MAgg.Mean },
            BatchSize = 10,
            DefaultTags = Tags.Of(("host", "a")),
        });

        for (var i = 0; i < 10; i++)
        {
            mc.Send("foo", i, i < 4 ? null : Tags.Of(("host", "b")));
        }

        _time.Tick();

        sink.Elements.Should().Equal(
            new MElement("foo.count", 4, Tags.Of(("host", "a"))),
            new MElement("foo.count", 6, Tags.Of(("host", "b"))),
            new MElement("foo.mean", 1.5, Tags.Of(("host", "a"))),
            new MElement("foo.mean", 6.5, Tags.Of(("host", "b"))));
    }

    [Fact]
    public void Named_aggregations_rename_their_outputs()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("wc") { Agg = { MAgg.Sum, { "avg", MAgg.Mean } }, BatchSize = 2 });

        mc.Send("wc", 1);
        mc.Send("wc", 2);
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("wc.sum", 3), new MElement("wc.avg", 1.5));
    }

    [Fact]
    public void Batch_size_1_emits_every_element_on_its_own()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum, MAgg.Count }, BatchSize = 1 });

        mc.Send("foo", 5);
        mc.Send("foo", 6, Tags.Of(("a", "b")));
        _time.Tick();

        sink.Elements.Should().Equal(
            new MElement("foo.sum", 5),
            new MElement("foo.count", 1),
            new MElement("foo.sum", 6, Tags.Of(("a", "b"))),
            new MElement("foo.count", 1, Tags.Of(("a", "b"))));
    }

    [Fact]
    public void Tag_values_containing_separators_stay_in_separate_groups()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum }, BatchSize = 2 });

        mc.Send("foo", 1, Tags.Of(("a", "b|c:d")));
        mc.Send("foo", 10, Tags.Of(("a", "b"), ("c", "d")));
        _time.Tick();

        sink.Elements.Should().Equal(
            new MElement("foo.sum", 1, Tags.Of(("a", "b|c:d"))),
            new MElement("foo.sum", 10, Tags.Of(("a", "b"), ("c", "d"))));
    }

    [Fact]
    public void Tag_order_at_send_does_not_split_a_group()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("foo") { Agg = { MAgg.Sum }, BatchSize = 2 });

        mc.Send("foo", 1, Tags.Of(("a", "1"), ("b", "2")));
        mc.Send("foo", 2, Tags.Of(("b", "2"), ("a", "1")));
        _time.Tick();

        sink.Elements.Should().Equal(new MElement("foo.sum", 3, Tags.Of(("a", "1"), ("b", "2"))));
    }

    [Fact]
    public void First_and_last_follow_arrival_order_even_after_a_percentile()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("x")
        {
            Agg = { MAgg.Percentile(50), MAgg.First, MAgg.Last },
            BatchSize = 3,
        });

        mc.Send("x", 9);
        mc.Send("x", 1);
        mc.Send("x", 5);
        _time.Tick();

        sink.Elements.Select(e => e.Value).Should().Equal(5, 9, 5);
    }
}
