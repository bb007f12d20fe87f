using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>
/// The one read of a caller's tags: they are checked against the expected content as they come and
/// copied only when they differ, so every way of differing must still give the exact pairs read.
/// </summary>
public sealed class TagReaderTests
{
    private static readonly ContentKey Expected = Content(("route", "/a"), ("status", "200"), ("zone", "eu"));

    public static TheoryData<string, Dictionary<string, string>> Differing => new()
    {
        { "one value differs", Tags.Of(("route", "/a"), ("status", "500"), ("zone", "eu")) },
        { "the first pair differs", Tags.Of(("route", "/b"), ("status", "200"), ("zone", "eu")) },
        { "one more pair", Tags.Of(("route", "/a"), ("status", "200"), ("zone", "eu"), ("host", "h")) },
        { "one pair fewer", Tags.Of(("route", "/a"), ("zone", "eu")) },
        { "an unknown key", Tags.Of(("route", "/a"), ("status", "200"), ("region", "eu")) },
        { "more pairs than the stack holds", Enumerable.Range(0, 2 * TagBuffer.Capacity + 1).ToDictionary(i => $"k{i}", i => $"v{i}") },
        { "nothing", Tags.Of() },
    };

    [Fact]
    public void The_expected_content_in_any_order_matches_without_a_copy()
    {
        var reader = Read(Expected, Tags.Of(("zone", "eu"), ("route", "/a"), ("status", "200")), out var snapshot);

        reader.Should().BeTrue();
        snapshot.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Differing))]
    public void Tags_that_differ_from_the_expected_content_are_read_exactly(string how, Dictionary<string, string> tags)
    {
        var matched = Read(Expected, tags, out var snapshot);

        matched.Should().BeFalse(how);
        snapshot.Should().BeEquivalentTo(tags.Select(p => (p.Key, p.Value)), how);
    }

    [Fact]
    public void A_key_given_twice_is_never_taken_for_the_expected_content()
    {
        // As many pairs as expected, every one of them found there: only the repeated key tells.
        var duplicated = new DuplicatingDictionary([new("route", "/a"), new("route", "/a")]);

        Read(Content(("route", "/a"), ("zone", "eu")), duplicated, out var snapshot).Should().BeFalse();
        snapshot.Should().Equal(("route", "/a"), ("route", "/a"));
    }

    [Fact]
    public void A_send_whose_dictionary_yields_a_key_twice_is_refused_and_changes_nothing()
    {
        var time = new HistoricalSchedulerFixture();
        var sink = new CollectingSink();
        using var mc = time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        FluentActions.Invoking(() => mc.Send("n", 1, new DuplicatingDictionary([new("route", "/a"), new("route", "/b")])))
            .Should().Throw<ArgumentException>().WithParameterName("tags").WithMessage("*'route'*twice*");
        mc.Send("n", 2, Tags.Of(("route", "/a")));
        time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(new MElement("n.sum", 2, Tags.Of(("route", "/a"))));
        mc.Stream("n").Tags.RememberedCount.Should().Be(1);
    }

    [Fact]
    public void Without_an_expected_content_the_tags_are_copied_as_read()
    {
        Read(null, Tags.Of(("a", "1"), ("b", "2")), out var snapshot).Should().BeFalse();

        snapshot.Should().BeEquivalentTo(new[] { ("a", "1"), ("b", "2") });
    }

    private static bool Read(ContentKey? expected, IReadOnlyDictionary<string, string> tags, out (string Key, string Value)[]? snapshot)
    {
        var buffer = default(TagBuffer);
        var reader = new TagReader(expected, buffer);
        reader.ReadAll(tags);
        var matched = reader.MatchesExpected;
        snapshot = matched ? null : reader.Snapshot().ToArray();
        reader.Dispose();
        return matched;
    }

    private static ContentKey Content(params (string Key, string Value)[] pairs)
    {
        var sorted = TagPairs.SortedCopy(pairs, "tags");
        return new ContentKey(sorted, TagPairs.ContentHash(sorted), new Series(TagSet.Merge(TagSet.Empty, sorted, "tags"), slot: 0));
    }

    /// <summary>A broken dictionary that yields a key twice (a custom implementation can).</summary>
    private sealed class DuplicatingDictionary(List<KeyValuePair<string, string>> pairs) : IReadOnlyDictionary<string, string>
    {
        public int Count => pairs.Count;

        public IEnumerable<string> Keys => pairs.Select(p => p.Key);

        public IEnumerable<string> Values => pairs.Select(p => p.Value);

        public string this[string key] => pairs.First(p => p.Key == key).Value;

        public bool ContainsKey(string key) => pairs.Exists(p => p.Key == key);

        public bool TryGetValue(string key, out string value)
        {
            value = pairs.Find(p => p.Key == key).Value;
            return value is not null;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => pairs.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
