using Metrix.Tests.Support;

namespace Metrix.Tests;

/// <summary>
/// Tags as <c>(key, value)</c> tuples mean exactly what the same tags in a dictionary mean: the same
/// groups, the same merge with default tags, the same validation, and a refused call changes nothing.
/// Every call form of the dictionary API keeps compiling and meaning what it meant.
/// </summary>
public sealed class TupleTagsTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void Tuples_and_dictionaries_with_equal_content_share_one_group_whatever_the_order()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("latency") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });

        mc.Send("latency", 1, ("route", "/home"), ("status", "200"));
        mc.Send("latency", 2, ("status", "200"), ("route", "/home"));
        mc.Send("latency", 4, Tags.Of(("route", "/home"), ("status", "200")));
        mc.Send("latency", 8, ("route", "/about"));
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("latency.sum", 7, Tags.Of(("route", "/home"), ("status", "200"))),
            new MElement("latency.sum", 8, Tags.Of(("route", "/about"))),
            new MElement("latency.count", 3, Tags.Of(("route", "/home"), ("status", "200"))),
            new MElement("latency.count", 1, Tags.Of(("route", "/about"))));
    }

    [Fact]
    public void Tuples_override_and_extend_the_stream_s_default_tags()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n")
        {
            Agg = { MAgg.Sum },
            WindowSize = TimeSpan.FromSeconds(1),
            DefaultTags = Tags.Of(("section", "NA"), ("site", "main")),
        });

        mc.Send("n", 1, ("section", "sports"), ("user", "u1"));
        mc.Send("n", 2);
        mc.Send("n", 4, Array.Empty<(string, string)>());
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("n.sum", 1, Tags.Of(("section", "sports"), ("site", "main"), ("user", "u1"))),
            new MElement("n.sum", 6, Tags.Of(("section", "NA"), ("site", "main"))));
    }

    [Theory]
    [InlineData(null, "v", "A tag key must not be null or empty.")]
    [InlineData("", "v", "A tag key must not be null or empty.")]
    [InlineData("k", null, "The value of tag 'k' must not be null.")]
    public void An_invalid_tuple_is_refused_naming_the_problem_and_changes_nothing(string? key, string? value, string message)
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });

        var send = () => mc.Send("n", 1, ("ok", "1"), (key!, value!));
        var timer = () => mc.Timer("n", 1, ("ok", "1"), (key!, value!));
        var series = () => mc.Series("n", ("ok", "1"), (key!, value!));

        send.Should().Throw<ArgumentException>().WithMessage(message + "*").Which.ParamName.Should().Be("tags");
        timer.Should().Throw<ArgumentException>().WithMessage(message + "*").Which.ParamName.Should().Be("tags");
        series.Should().Throw<ArgumentException>().WithMessage(message + "*").Which.ParamName.Should().Be("tags");
        mc.Stream("n").Tags.RememberedCount.Should().Be(0);
        _time.AdvanceToSeconds(1);
        sink.Elements.Should().BeEmpty();
    }

    [Fact]
    public void A_key_given_twice_is_refused_even_when_a_valid_content_of_the_same_length_is_known()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });
        mc.Send("n", 1, ("route", "/home"), ("status", "200"));

        var send = () => mc.Send("n", 1, ("route", "/home"), ("route", "/home"));

        send.Should().Throw<ArgumentException>().WithMessage("The tag 'route' is given twice.*").Which.ParamName.Should().Be("tags");
        mc.Stream("n").Tags.RememberedCount.Should().Be(1);
        _time.AdvanceToSeconds(1);
        sink.Elements.Should().Equal(new MElement("n.count", 1, Tags.Of(("route", "/home"), ("status", "200"))));
    }

    [Fact]
    public void A_timer_with_tuples_sends_the_scaled_elapsed_time_under_its_tags()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("latency") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        using (mc.Timer("latency", 1000, ("route", "/home")))
        {
            _time.Clock.AdvanceBy(TimeSpan.FromMilliseconds(250));
        }

        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(new MElement("latency.sum", 250, Tags.Of(("route", "/home"))));
    }

    [Fact]
    public void Every_earlier_call_form_keeps_its_meaning()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });
        var dict = Tags.Of(("k", "v"));
        IReadOnlyDictionary<string, string>? none = null;

        mc.Send("n", 1);
        mc.Send("n", 2, null);
        mc.Send("n", 4, none);
        mc.Send("n", 8, tags: dict);
        mc.Send("n", 16, dict);
        using (mc.Timer("n"))
        using (mc.Timer("n", 1000))
        using (mc.Timer("n", scale: 1000, tags: dict))
        using (mc.Timer("n", 1000, null))
        {
            _time.Clock.AdvanceBy(TimeSpan.FromMilliseconds(32));
        }

        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("n.sum", 1 + 2 + 4 + 0.032 + 32 + 32),
            new MElement("n.sum", 8 + 16 + 32, Tags.Of(("k", "v"))));
    }

    [Fact]
    public void Refused_values_and_unknown_streams_are_reported_as_in_the_dictionary_form()
    {
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        mc.Invoking(m => m.Send("n", double.NaN, ("k", "v"))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("value");
        mc.Invoking(m => m.Send("missing", 1, ("k", "v"))).Should().Throw<KeyNotFoundException>();
        mc.Invoking(m => m.Send(null!, 1, ("k", "v"))).Should().Throw<ArgumentNullException>();
        mc.Invoking(m => m.Timer("n", double.PositiveInfinity, ("k", "v"))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("scale");
        mc.Stream("n").Tags.RememberedCount.Should().Be(0, "a refused call remembers no tag set");

        mc.Dispose();
        mc.Invoking(m => m.Send("n", 1, ("k", "v"))).Should().Throw<ObjectDisposedException>();
        mc.Invoking(m => m.Timer("n", 1, ("k", "v"))).Should().Throw<ObjectDisposedException>();
    }
}
