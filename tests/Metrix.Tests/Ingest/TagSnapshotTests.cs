using System.Collections.Concurrent;
using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>
/// A send reads the caller's tags exactly once, and everything (validation, lookup, the copy it
/// keeps) comes from that one snapshot: a dictionary another thread changes meanwhile can never
/// route a send, or later sends, to the wrong tag set.
/// </summary>
public sealed class TagSnapshotTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void Send_reads_a_new_tag_set_once_and_a_known_one_once()
    {
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });
        var tags = new ScriptedDictionary(Tags.Of(("route", "/a"), ("status", "200")));

        mc.Send("n", 1, tags);
        tags.Reads.Should().Be(1, "a tag set seen for the first time");
        mc.Send("n", 1, tags);
        tags.Reads.Should().Be(2, "a known tag set");
    }

    [Fact]
    public void Timer_reads_the_tags_once_when_it_starts()
    {
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });
        var tags = new ScriptedDictionary(Tags.Of(("route", "/a")));

        using (mc.Timer("n", tags: tags))
        {
            _time.AdvanceToSeconds(0.5);
        }

        tags.Reads.Should().Be(1);
    }

    [Fact]
    public void Tags_that_change_between_reads_land_under_the_content_read_and_later_sends_are_not_misrouted()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        // What a concurrent writer does to the caller's dictionary, one change per read.
        mc.Send("n", 1, new ScriptedDictionary(Tags.Of(("user", "a")), Tags.Of(("user", "b")), Tags.Of(("user", "c"))));
        mc.Send("n", 10, Tags.Of(("user", "a")));
        mc.Send("n", 100, Tags.Of(("user", "b")));
        mc.Send("n", 1000, Tags.Of(("user", "c")));
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("n.sum", 11, Tags.Of(("user", "a"))),
            new MElement("n.sum", 100, Tags.Of(("user", "b"))),
            new MElement("n.sum", 1000, Tags.Of(("user", "c"))));
    }

    [Fact]
    public void A_count_that_disagrees_with_the_content_never_throws_an_index_error()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        // A pair was added between the caller's Count and its enumeration.
        mc.Send("n", 1, new ScriptedDictionary(Tags.Of(("a", "1"), ("b", "2"))) { ReportedCount = 1 });
        mc.Send("n", 2, new ScriptedDictionary(Tags.Of(("a", "1"))) { ReportedCount = 2 });
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(
            new MElement("n.sum", 1, Tags.Of(("a", "1"), ("b", "2"))),
            new MElement("n.sum", 2, Tags.Of(("a", "1"))));
    }

    [Fact]
    public void Tags_that_could_not_be_read_a_second_time_are_sent_from_the_first_read()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1) });

        mc.Send("n", 1, new ScriptedDictionary(Tags.Of(("user", "a"))) { ThrowFromEnumeration = 1 });
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(new MElement("n.sum", 1, Tags.Of(("user", "a"))));
    }

    [Fact]
    public void A_send_whose_tags_cannot_be_read_throws_and_uses_up_no_tag_set()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromSeconds(1), MaxTagSets = 2 });

        FluentActions.Invoking(() => mc.Send("n", 1, new ScriptedDictionary(Tags.Of(("user", "x"))) { ThrowFromEnumeration = 0 }))
            .Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => mc.Send("n", 1, new Dictionary<string, string> { ["user"] = "y", ["bad"] = null! }))
            .Should().Throw<ArgumentException>().WithParameterName("tags");

        // The cap of 2 (the untagged set and one more) is untouched by the refused calls.
        mc.Send("n", 2);
        mc.Send("n", 3, Tags.Of(("user", "z")));
        _time.AdvanceToSeconds(1);

        sink.Elements.Should().Equal(new MElement("n.sum", 2), new MElement("n.sum", 3, Tags.Of(("user", "z"))));
        mc.Statistics.TagSetOverflows.Should().Be(0);
    }

    [Fact]
    public void A_concurrent_dictionary_changed_by_another_thread_never_throws_and_never_misroutes_later_sends()
    {
        var sink = new CollectingSink();
        using var mc = _time.Coordinator(sink, new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });
        var shared = new ConcurrentDictionary<string, string> { ["user"] = "u0" };
        var done = false;
        Exception? failure = null;

        // A writer walks the tag through 500 values (each new to the stream) while a sender sends it.
        var writer = new Thread(() =>
        {
            for (var i = 0; !Volatile.Read(ref done); i = (i + 1) % 500)
            {
                shared["user"] = $"u{i}";
                shared[i % 2 == 0 ? "extra" : "other"] = "x";
                shared.TryRemove(i % 2 == 0 ? "other" : "extra", out _);
            }
        });
        writer.Start();
        try
        {
            for (var i = 0; i < 200_000; i++)
            {
                mc.Send("n", 1, shared);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            Volatile.Write(ref done, true);
            writer.Join();
        }

        failure.Should().BeNull();
        _time.AdvanceToSeconds(1);
        sink.Elements.Sum(e => e.Value).Should().Be(200_000);

        // Every content the writer produced now routes to its own tag set.
        var probes = Enumerable.Range(0, 500).SelectMany(i => new[]
        {
            Tags.Of(("user", $"u{i}")), Tags.Of(("user", $"u{i}"), ("extra", "x")), Tags.Of(("user", $"u{i}"), ("other", "x")),
        }).ToList();
        foreach (var probe in probes)
        {
            mc.Send("n", 1, probe);
        }

        _time.AdvanceToSeconds(2);
        var second = sink.Elements.Skip(sink.Elements.Count - probes.Count).ToList();
        second.Select(e => e.Tags).Should().BeEquivalentTo(probes, options => options.WithStrictOrdering());
    }

    [Fact]
    public void A_plain_dictionary_changed_by_another_thread_fails_only_as_a_dictionary_does()
    {
        using var mc = _time.Coordinator(new CollectingSink(), new MStream("n") { Agg = { MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) });
        var shared = new Dictionary<string, string> { ["user"] = "u0" };
        var done = false;
        var failures = new List<Exception>();
        var writer = new Thread(() =>
        {
            for (var i = 0; !Volatile.Read(ref done); i = (i + 1) % 500)
            {
                shared["user"] = $"u{i}";
                shared["extra"] = "x";
                shared.Remove("extra");
            }
        });
        writer.Start();
        for (var i = 0; i < 200_000; i++)
        {
            try
            {
                mc.Send("n", 1, shared);
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }

        Volatile.Write(ref done, true);
        writer.Join();

        failures.Should().NotContain(ex => !(ex is InvalidOperationException || ex is ArgumentException), "the caller's data race surfaces as the dictionary's own error, never an index error");
    }
}
