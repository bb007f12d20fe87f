using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Metrix.Ingest;

/// <summary>
/// One stream's tag sets: resolves the tags a caller passes to <c>Send</c> to a <see cref="Series"/>
/// (its default tags overridden and extended), admits at most <c>maxTagSets</c> of them per window,
/// and forgets those a window did not use, so a process that runs for weeks stays bounded.
/// </summary>
/// <remarks>
/// <para><b>One read.</b> A caller's tags are read once (see <see cref="TagReader"/>): checked, as
/// they come, against the content the same dictionary held last time (found by its identity in a
/// <see cref="ContentCache"/>), and copied into a snapshot on the stack only if they differ. The
/// hash, the lookup and any copy kept all come from that one read.</para>
/// <para><b>Lookup.</b> Neither allocates nor locks. A content the identity cache did not match is
/// probed in a second cache by a cheap fingerprint of the content (a content that
/// recurs in fresh dictionaries is found there), and otherwise validated, hashed with the
/// randomized string hash (order-independent) and looked up in a concurrent dictionary without
/// building a key. Only a content seen for the first time takes the lock and allocates. Both caches
/// are fixed-size and verify every hit, so crafted tags can cost misses, never longer searches.</para>
/// <para><b>Lifetime.</b> Windows are numbered (<see cref="Window"/>); the stream advances the number
/// while it holds every stripe, so a send is wholly in one window. A series is admitted in a window
/// on its first use there, while fewer than <c>maxTagSets</c> are; beyond that it is folded into the
/// overflow series (<c>metrix.overflow=true</c>) for that window only. When a window closes with more
/// than <c>maxTagSets</c> series remembered, those it did not use are retired: removed from the
/// lookup, their slots freed. So at most 2 × <c>maxTagSets</c> series are remembered (plus the
/// default one), and a content the cap refused is never remembered at all.</para>
/// <para><b>Races.</b> A sender may hold a series that is retired meanwhile, or a refusal
/// (<see cref="Series.Refused"/>) for a window that closed meanwhile. Admission and
/// retirement take the same lock, and a retired series is never admitted again: such a sender sees
/// <see cref="Admit"/> return null and resolves its tags again (<see cref="Refresh"/>), so no value
/// ever lands under another tag set nor splits one tag set into two groups of a window.</para>
/// </remarks>
internal sealed class TagSetRegistry
{
    /// <summary>The tag of the group that collects elements beyond the cap.</summary>
    public static readonly TagSet OverflowTags = TagSet.Merge(TagSet.Empty, [("metrix.overflow", "true")], "tags");

    private readonly Lock _gate = new();
    private readonly TagSet _defaults;
    private readonly int _maxTagSets;
    private readonly ConcurrentDictionary<ContentKey, Series> _byContent = new(ContentKeyComparer.Instance);
    private readonly ConcurrentDictionary<ContentKey, Series>.AlternateLookup<TagSpan> _lookup;
    // Every remembered series by its merged tags (contents that merge alike share one), and the
    // default one, which is never forgotten.
    private readonly Dictionary<TagSet, Series> _bySet = [];
    private readonly Stack<int> _freeSlots = new();

    // Contents recently resolved, by the identity hash of the dictionary that held them (not by
    // reference: a fresh dictionary per send must not be kept alive), and by fingerprint, so a
    // content that recurs in fresh dictionaries (or tuples) is found without its randomized hash.
    private readonly ContentCache _byIdentity = new();
    private readonly ContentCache _byFingerprint = new();

    private long _window;
    private long _countedWindow = -1;
    private int _admitted;
    private int _slotCount;
    private Series? _overflow;

    public TagSetRegistry(TagSet defaults, int maxTagSets)
    {
        _defaults = defaults;
        _maxTagSets = maxTagSets;
        _lookup = _byContent.GetAlternateLookup<TagSpan>();
        Untagged = new Series(defaults, _slotCount++);
        _bySet.Add(defaults, Untagged);
    }

    /// <summary>The series of a send without tags: the stream's default tags. Never retired.</summary>
    public Series Untagged { get; }

    /// <summary>One more than the highest slot in use: the size a batch's accumulator array needs.</summary>
    public int SlotCount => Volatile.Read(ref _slotCount);

    /// <summary>The number of the open window (or batch).</summary>
    public long Window => Volatile.Read(ref _window);

    /// <summary>How many tag sets are remembered, besides the default one and the overflow one.</summary>
    public int RememberedCount
    {
        get
        {
            lock (_gate)
            {
                return RememberedCountLocked;
            }
        }
    }

    private int RememberedCountLocked => _bySet.Count - 1;

    /// <summary>Resolves the caller's tags, reading them exactly once and validating them.</summary>
    /// <exception cref="ArgumentException">A key is null, empty or repeated, or a value is null.</exception>
    public Series Resolve(IReadOnlyDictionary<string, string>? tags, string paramName)
    {
        if (tags is null)
        {
            return Untagged;
        }

        // Callers usually reuse their tag dictionaries: check the content this one held last time
        // while reading it, so an unchanged dictionary is resolved without copying its tags.
        var identity = RuntimeHelpers.GetHashCode(tags);
        var expected = Recent(identity);
        if (expected is null)
        {
            return ResolveUnseen(tags, identity, paramName);
        }

        var buffer = default(TagBuffer);
        var reader = new TagReader(expected, buffer);
        reader.ReadAll(tags);
        if (reader.MatchesExpected)
        {
            return expected!.Series;
        }

        // No finally: a pooled array (more than 4 tags) not given back when a call is refused
        // costs nothing but an allocation later, and exception handling here costs every send.
        var series = ResolveUncached(reader.Snapshot(), identity, paramName);
        reader.Dispose();
        return series;
    }

    /// <summary>A dictionary not seen lately (a new one per send, say): copied as read, then looked up by content.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Series ResolveUnseen(IReadOnlyDictionary<string, string> tags, int identity, string paramName)
    {
        var buffer = default(TagBuffer);
        var snapshot = new TagSnapshot(buffer);
        if (tags is Dictionary<string, string> dictionary)
        {
            foreach (var (key, value) in dictionary)
            {
                snapshot.Add((key, value));
            }
        }
        else
        {
            foreach (var (key, value) in tags)
            {
                snapshot.Add((key, value));
            }
        }

        var series = ResolveUncached(snapshot.Pairs, identity, paramName);
        snapshot.Dispose();
        return series;
    }

    /// <summary>Resolves tags given as pairs (tuples), validating any that no known content matches.</summary>
    /// <exception cref="ArgumentException">A key is null, empty or repeated, or a value is null.</exception>
    public Series Resolve(ReadOnlySpan<(string Key, string Value)> pairs, string paramName) =>
        pairs.IsEmpty ? Untagged : ResolveByContent(pairs, paramName, out _);

    /// <summary>The live series of <paramref name="tags"/>, a series' merged tags (its holder found it retired, or folded into overflow).</summary>
    public Series Refresh(TagSet tags) => Resolve(tags.Pairs, nameof(tags));

    /// <summary>The stream's default tags overridden and extended by <paramref name="pairs"/>.</summary>
    /// <exception cref="ArgumentException">A key is null, empty or repeated, or a value is null.</exception>
    public TagSet Merge(ReadOnlySpan<(string Key, string Value)> pairs, string paramName)
    {
        TagPairs.Validate(pairs, paramName);
        return TagSet.Merge(_defaults, pairs, paramName);
    }

    /// <summary>
    /// The series that accumulates <paramref name="series"/>' values in <paramref name="window"/>:
    /// itself when admitted, the overflow series when the window is full, or null when it was
    /// retired (resolve its tags again). Called on a series' first use in a stripe's batch.
    /// </summary>
    public Series? Admit(Series series, long window)
    {
        if (series.IsRefused)
        {
            // Refused when its window was full: that verdict holds for that window only.
            return series.IsOverflowedIn(window) ? Overflow() : null;
        }

        if (series.IsOverflow || series.IsAdmittedIn(window))
        {
            return series;
        }

        if (series.IsOverflowedIn(window))
        {
            return Overflow();
        }

        lock (_gate)
        {
            if (series.IsRetired)
            {
                return null;
            }

            if (series.IsAdmittedIn(window))
            {
                return series;
            }

            if (series.IsOverflowedIn(window))
            {
                return Overflow();
            }

            var admitted = HasRoomLocked(window);
            series.Admit(window, overflowed: !admitted);
            return admitted ? series : Overflow();
        }
    }

    /// <summary>Opens the next window. Called by the stream while it holds every stripe.</summary>
    public long AdvanceWindow() => Interlocked.Increment(ref _window);

    /// <summary>
    /// Forgets, when more than the cap are remembered, the series that window
    /// <paramref name="closed"/> did not use under their own tags.
    /// </summary>
    public void Forget(long closed)
    {
        lock (_gate)
        {
            if (RememberedCountLocked <= _maxTagSets)
            {
                return;
            }

            var retired = 0;
            foreach (var series in _bySet.Values)
            {
                if (ReferenceEquals(series, Untagged) || series.LastWindow > closed || (series.LastWindow == closed && !series.OverflowedLast))
                {
                    continue;
                }

                series.Retire();
                _bySet.Remove(series.Tags);     // removing the current entry while enumerating is allowed
                foreach (var content in series.Contents)
                {
                    content.Retire();
                    _byContent.TryRemove(content, out _);
                }

                _freeSlots.Push(series.Slot);
                retired++;
            }

            if (retired > 0)
            {
                // The caches of recent contents must not keep forgotten tag sets alive either.
                _byIdentity.ClearRetired();
                _byFingerprint.ClearRetired();
            }
        }
    }

    /// <summary>The content last resolved for <paramref name="identity"/>, if its series is live.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ContentKey? Recent(int identity) => _byIdentity.Get(identity);

    /// <summary>Resolves a dictionary's content the identity cache did not match, and remembers it under the dictionary's identity.</summary>
    private Series ResolveUncached(ReadOnlySpan<(string Key, string Value)> pairs, int identity, string paramName)
    {
        if (pairs.IsEmpty)
        {
            return Untagged;
        }

        var series = ResolveByContent(pairs, paramName, out var content);
        if (content is not null)
        {
            _byIdentity.Set(identity, content);
        }

        return series;
    }

    /// <summary>
    /// Finds a content by fingerprint, else validates, hashes and looks it up (remembering it if new).
    /// <paramref name="content"/> is null when the cap refused to remember it.
    /// </summary>
    private Series ResolveByContent(ReadOnlySpan<(string Key, string Value)> pairs, string paramName, out ContentKey? content)
    {
        var fingerprint = TagPairs.Fingerprint(pairs);
        if (_byFingerprint.Get(fingerprint) is { } seen && seen.Matches(pairs))
        {
            // Equal to a validated content, so valid.
            content = seen;
            return seen.Series;
        }

        // Any other content is validated now, before anything is remembered.
        var hash = TagPairs.ValidatedContentHash(pairs, paramName);
        if (!_lookup.TryGetValue(new TagSpan(pairs, hash), out content, out var known) || known.IsRetired)
        {
            known = Remember(pairs, hash, paramName, out content);
        }

        if (content is not null)
        {
            _byFingerprint.Set(fingerprint, content);
        }

        return known;
    }

    /// <summary>Remembers a new content (or finds it, added meanwhile); <paramref name="content"/> is null when the cap refused it.</summary>
    private Series Remember(ReadOnlySpan<(string Key, string Value)> pairs, int hash, string paramName, out ContentKey? content)
    {
        lock (_gate)
        {
            if (_lookup.TryGetValue(new TagSpan(pairs, hash), out var existing, out var known) && !known.IsRetired)
            {
                content = existing;
                return known;
            }

            // Everything that can throw comes first: a refused call changes nothing.
            var sorted = TagPairs.SortedCopy(pairs, paramName);
            var merged = TagSet.Merge(_defaults, sorted, paramName);
            if (!_bySet.TryGetValue(merged, out var series))
            {
                var window = Window;
                if (!HasRoomLocked(window))
                {
                    // Not remembered: remembering hostile tag sets is what the cap prevents. The
                    // refusal is for this window: should a close come before the send is added,
                    // the send resolves its tags again in the next window.
                    content = null;
                    return Series.Refused(merged, window);
                }

                series = new Series(merged, _freeSlots.Count > 0 ? _freeSlots.Pop() : Interlocked.Increment(ref _slotCount) - 1);
                series.Admit(window, overflowed: false);
                _bySet.Add(merged, series);
                _byIdentity.EnsureCapacity(RememberedCountLocked);
                _byFingerprint.EnsureCapacity(RememberedCountLocked);
            }

            content = new ContentKey(sorted, hash, series);
            series.Contents.Add(content);
            _byContent[content] = series;
            return series;
        }
    }

    /// <summary>Under the lock: whether <paramref name="window"/> can admit one more tag set, counting it if so.</summary>
    private bool HasRoomLocked(long window)
    {
        if (_countedWindow != window)
        {
            _countedWindow = window;
            _admitted = 0;
        }

        if (_admitted >= _maxTagSets)
        {
            return false;
        }

        _admitted++;
        return true;
    }

    private Series Overflow()
    {
        if (Volatile.Read(ref _overflow) is { } overflow)
        {
            return overflow;
        }

        lock (_gate)
        {
            if (_overflow is null)
            {
                Volatile.Write(ref _overflow, new Series(OverflowTags, Interlocked.Increment(ref _slotCount) - 1, isOverflow: true));
            }

            return _overflow!;
        }
    }
}
