using System.Collections.Concurrent;
using Metrix.Tests.Support;

namespace Metrix.Tests.Ingest;

/// <summary>
/// The tag-set registry on its own: a content resolves to one series however and from however many
/// threads it arrives; the cap holds per window; series a window did not use are reclaimed, their
/// slots reused; and a holder of a reclaimed series always finds a live one with the same tags.
/// </summary>
public sealed class TagSetRegistryTests
{
    private static readonly TagSet Defaults = TagSet.Merge(TagSet.Empty, [("host", "a")], "tags");

    [Fact]
    public void Equal_contents_resolve_to_one_series_whether_tuples_or_a_dictionary_in_any_order()
    {
        var registry = new TagSetRegistry(Defaults, maxTagSets: 10);

        var fromTuples = registry.Resolve([("route", "/a"), ("status", "200")], "tags");
        var fromDictionary = registry.Resolve(new Dictionary<string, string> { ["status"] = "200", ["route"] = "/a" }, "tags");
        var other = registry.Resolve([("route", "/b")], "tags");

        fromDictionary.Should().BeSameAs(fromTuples);
        fromTuples.Tags.Should().Equal(Tags.Of(("host", "a"), ("route", "/a"), ("status", "200")), "merged with the defaults");
        other.Should().NotBeSameAs(fromTuples);
        new[] { registry.Untagged.Slot, fromTuples.Slot, other.Slot }.Should().OnlyHaveUniqueItems();
        registry.RememberedCount.Should().Be(2);
    }

    [Fact]
    public void Growing_from_four_threads_gives_each_content_one_series_and_each_series_its_own_slot()
    {
        // More contents than the lookup caches start with, so they grow while other threads read them.
        const int Threads = 4;
        const int Contents = 3_000;
        var registry = new TagSetRegistry(TagSet.Empty, maxTagSets: 10_000);
        var resolved = new Series[Threads][];
        using var start = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var mine = resolved[t] = new Series[Contents];
            start.SignalAndWait();
            for (var n = 0; n < 2 * Contents; n++)
            {
                // Each thread walks the contents from its own offset; half as tuples, half as fresh dictionaries.
                var i = (n + (t * Contents / Threads)) % Contents;
                var series = n % 2 == 0
                    ? registry.Resolve([("user", $"u{i}"), ("shard", $"{i % 7}")], "tags")
                    : registry.Resolve(Tags.Of(("shard", $"{i % 7}"), ("user", $"u{i}")), "tags");
                (mine[i] ??= series).Should().BeSameAs(series, "a content always resolves to the same series");
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        for (var i = 0; i < Contents; i++)
        {
            resolved.Select(mine => mine[i]).Distinct().Should().ContainSingle($"every thread found one series for content {i}")
                .Which.Tags.Should().Equal(Tags.Of(("shard", $"{i % 7}"), ("user", $"u{i}")));
        }

        var slots = resolved[0].Select(series => series.Slot).ToList();
        slots.Should().OnlyHaveUniqueItems().And.NotContain(registry.Untagged.Slot);
        registry.SlotCount.Should().BeGreaterThan(slots.Max());
        registry.RememberedCount.Should().Be(Contents);
    }

    [Fact]
    public void The_cap_admits_at_most_MaxTagSets_per_window_and_folds_the_rest_into_that_window_s_overflow()
    {
        var registry = new TagSetRegistry(TagSet.Empty, maxTagSets: 2);
        var a = registry.Resolve([("u", "a")], "tags");
        registry.Resolve([("u", "b")], "tags");

        var refused = registry.Resolve([("u", "c")], "tags");

        refused.IsRefused.Should().BeTrue("window 0 already admitted two tag sets");
        registry.Admit(refused, window: 0)!.IsOverflow.Should().BeTrue();
        registry.Admit(a, window: 0).Should().BeSameAs(a, "an admitted series stays admitted in its window");
        registry.RememberedCount.Should().Be(2, "a refused tag set is not remembered");

        var closed = registry.Window;
        registry.AdvanceWindow();
        registry.Forget(closed);
        registry.Admit(refused, registry.Window).Should().BeNull("a refusal holds for its window only: its holder resolves again");
        var again = registry.Resolve([("u", "c")], "tags");
        again.IsRefused.Should().BeFalse();
        registry.Admit(again, registry.Window).Should().BeSameAs(again, "the next window has room");
    }

    [Fact]
    public void Series_a_window_did_not_use_are_reclaimed_their_slots_reused_and_their_holders_find_a_live_series()
    {
        var registry = new TagSetRegistry(TagSet.Empty, maxTagSets: 2);
        var a = registry.Resolve([("u", "a")], "tags");
        var b = registry.Resolve([("u", "b")], "tags");
        registry.AdvanceWindow();                                          // window 1 uses a and c, not b
        registry.Admit(a, window: 1).Should().BeSameAs(a);
        var c = registry.Resolve([("u", "c")], "tags");

        registry.AdvanceWindow();
        registry.Forget(1);                                                // 3 remembered > cap 2: b goes

        b.IsRetired.Should().BeTrue();
        a.IsRetired.Should().BeFalse();
        c.IsRetired.Should().BeFalse();
        registry.RememberedCount.Should().Be(2);
        registry.Admit(b, window: 2).Should().BeNull("a retired series is never admitted again");
        var revived = registry.Refresh(b.Tags);
        revived.Should().NotBeSameAs(b);
        revived.Tags.Should().Equal(b.Tags);
        revived.Slot.Should().Be(b.Slot, "the reclaimed slot is reused");
        registry.Resolve(Tags.Of(("u", "b")), "tags").Should().BeSameAs(revived, "lookups find the live series, never the retired one");
    }

    [Fact]
    public void Reclaiming_while_four_threads_resolve_and_admit_never_gives_a_value_another_tag_set()
    {
        // As OpenTelemetry's MetricPointReclaimTests: senders resolve and admit rotating tag sets
        // while windows close and reclaim. As in the pipeline, a window advances while no sender is
        // admitting (the stripes' locks; here a reader-writer lock), and Forget runs after it.
        const int Senders = 4;
        const int Closes = 2_000;
        var registry = new TagSetRegistry(TagSet.Empty, maxTagSets: 16);
        var stripes = new ReaderWriterLockSlim();
        var failures = new ConcurrentQueue<string>();
        var closing = true;

        var senders = Enumerable.Range(0, Senders).Select(t => new Thread(() =>
        {
            var random = new Random(t);
            while (Volatile.Read(ref closing))
            {
                var user = $"u{random.Next(48)}";
                var series = registry.Resolve([("user", user)], "tags");
                Series? target;
                stripes.EnterReadLock();
                try
                {
                    while ((target = registry.Admit(series, registry.Window)) is null)
                    {
                        series = registry.Refresh(series.Tags);
                    }

                    if (target.IsRetired)
                    {
                        failures.Enqueue($"{user}: admitted a retired series");
                    }
                }
                finally
                {
                    stripes.ExitReadLock();
                }

                if (!target.IsOverflow && target.Tags["user"] != user)
                {
                    failures.Enqueue($"{user}: admitted under {target.Tags}");
                }
            }
        })).ToList();
        senders.ForEach(thread => thread.Start());

        for (var i = 0; i < Closes; i++)
        {
            long closed;
            stripes.EnterWriteLock();
            try
            {
                closed = registry.Window;
                registry.AdvanceWindow();
            }
            finally
            {
                stripes.ExitWriteLock();
            }

            registry.Forget(closed);
        }

        Volatile.Write(ref closing, false);
        senders.ForEach(thread => thread.Join());

        failures.Should().BeEmpty();
        registry.RememberedCount.Should().BeLessThanOrEqualTo(2 * 16, "memory stays bounded by the cap");
        var live = Enumerable.Range(0, 48).Select(u => registry.Resolve([("user", $"u{u}")], "tags")).Where(s => !s.IsRefused).ToList();
        live.Should().OnlyContain(s => !s.IsRetired);
        live.Select(s => s.Slot).Should().OnlyHaveUniqueItems("no two live tag sets share an accumulator slot");
    }
}
