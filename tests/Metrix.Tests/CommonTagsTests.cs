using Metrix.Tests.Support;

namespace Metrix.Tests;

/// <summary>
/// CommonTags: on every element of every stream, overridden by a stream's default tags, which a
/// send's tags override; fixed once the coordinator starts.
/// </summary>
public sealed class CommonTagsTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void Common_tags_are_on_every_element_below_default_tags_and_send_tags()
    {
        var sink = new CollectingSink();
        using var mc = new MCoordinator
        {
            MStreams =
            {
                new MStream("wc") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1), DefaultTags = Tags.Of(("region", "us")) },
                new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) },
            },
            MSinks = { sink },
            Scheduler = _time.Clock,
            CommonTags = Tags.Of(("instance", "web-1"), ("region", "eu")),
        };

        mc.Send("wc", 1);
        mc.Send("wc", 2, ("instance", "batch-7"));
        mc.Send("n", 5);
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("wc.sum", 1, Tags.Of(("instance", "web-1"), ("region", "us"))),
            new MElement("wc.sum", 2, Tags.Of(("instance", "batch-7"), ("region", "us"))),
            new MElement("n.count", 1, Tags.Of(("instance", "web-1"), ("region", "eu"))));
        mc.CommonTags.Should().Equal(Tags.Of(("instance", "web-1"), ("region", "eu")));
    }

    [Fact]
    public void Common_tags_do_not_count_toward_the_tag_set_cap()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 2 });
        mc.CommonTags = Tags.Of(("instance", "web-1"));

        mc.Send("n", 1, ("user", "a"));
        mc.Send("n", 1, ("user", "b"));
        _time.AdvanceToSeconds(1);

        mc.Statistics.TagSetOverflows.Should().Be(0);
        sink.Elements.Should().OnlyContain(e => e.Tags!["instance"] == "web-1" && e.Tags.ContainsKey("user"));
    }

    [Fact]
    public void Common_tags_are_validated_copied_and_fixed_once_the_coordinator_starts()
    {
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });
        var tags = Tags.Of(("instance", "web-1"));
        mc.CommonTags = tags;
        tags["instance"] = "changed";

        mc.Invoking(m => m.CommonTags = new Dictionary<string, string> { [""] = "x" }).Should().Throw<ArgumentException>().WithParameterName("CommonTags");
        mc.CommonTags.Should().Equal(Tags.Of(("instance", "web-1")), "a refused value changes nothing, and the tags were copied");

        mc.Send("n", 1);
        mc.Invoking(m => m.CommonTags = null).Should().Throw<InvalidOperationException>().WithMessage("*CommonTags*");
    }
}
