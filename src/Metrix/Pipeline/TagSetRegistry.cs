using System.Runtime.CompilerServices;

namespace Metrix.Pipeline;

/// <summary>
/// One stream's tag sets: turns the tags a caller passes to <c>Send</c> into the merged tag set
/// (default tags overridden and extended) and its slot, the array index of its accumulator.
/// </summary>
/// <remarks>
/// <para>The hot path neither allocates nor locks. A dictionary the caller reuses is found by
/// identity in a small direct-mapped cache, then checked against its current content (so a
/// dictionary changed in between is never misread). Otherwise the tags are hashed by content
/// (order does not matter; a fresh dictionary with the same content finds the same entry) and
/// looked up in an insert-only hash table published through volatile reads. Only a tag set seen
/// for the first time takes the write lock and allocates. The cache keeps no caller dictionary
/// alive: it remembers identity hashes only.</para>
/// <para>At most <c>maxTagSets</c> distinct tag sets get a slot. Beyond that, elements fold into
/// one overflow group tagged <c>metrix.overflow=true</c> and are not remembered, so hostile tag
/// values cannot exhaust memory.</para>
/// </remarks>
internal sealed class TagSetRegistry
{
    /// <summary>The tag of the group that collects elements beyond the cap.</summary>
    public static readonly TagSet OverflowTags = TagSet.From(new Dictionary<string, string> { ["metrix.overflow"] = "true" }, "tags");

    private const int MaxKeysForLinearSearch = 8;
    private const int RecentSlots = 1024;

    private readonly Lock _writeGate = new();
    private readonly TagSet _defaults;
    private readonly int _maxTagSets;
    private readonly Dictionary<TagSet, Resolution> _bySet = [];
    private Entry?[] _buckets = new Entry?[64];

    // The identity hashes of dictionaries recently passed in, with the entry their content
    // matched. Identities, not references: a fresh dictionary per send must not be kept alive
    // (it would survive into older GC generations). Written without locks: a torn pair or a
    // reused identity hash is harmless, because a hit is always verified against the caller's
    // current content.
    private readonly int[] _recentIdentities = new int[RecentSlots];
    private readonly Entry?[] _recentEntries = new Entry?[RecentSlots];
    private int _entries;
    private Resolution? _overflow;

    public TagSetRegistry(TagSet defaults, int maxTagSets)
    {
        _defaults = defaults;
        _maxTagSets = maxTagSets;
        Untagged = Register(defaults);
    }

    /// <summary>The resolution of a send without tags: the stream's default tags.</summary>
    public Resolution Untagged { get; }

    /// <summary>One more than the highest slot in use: tag sets take 0 … cap − 1, the overflow group the cap.</summary>
    public int SlotCount
    {
        get
        {
            lock (_writeGate)
            {
                return _overflow is null ? _bySet.Count : _maxTagSets + 1;
            }
        }
    }

    /// <summary>Resolves the caller's tags, validating them first.</summary>
    /// <exception cref="ArgumentException">A key is null or empty, or a value is null.</exception>
    public Resolution Resolve(IReadOnlyDictionary<string, string>? tags, string paramName)
    {
        if (tags is null || tags.Count == 0)
        {
            return Untagged;
        }

        // Callers usually reuse their tag dictionaries: try the one seen last in this slot first.
        var identity = RuntimeHelpers.GetHashCode(tags);
        var recent = identity & (RecentSlots - 1);
        if (_recentIdentities[recent] == identity && _recentEntries[recent] is { } seen && seen.Matches(tags))
        {
            return seen.Resolution;
        }

        var hash = ContentHash(tags, paramName);
        var buckets = Volatile.Read(ref _buckets);
        for (var entry = Volatile.Read(ref buckets[hash & (buckets.Length - 1)]); entry is not null; entry = entry.Next)
        {
            if (entry.Hash == hash && entry.Matches(tags))
            {
                _recentEntries[recent] = entry;
                _recentIdentities[recent] = identity;
                return entry.Resolution;
            }
        }

        return ResolveNew(tags, hash, paramName);
    }

    private Resolution ResolveNew(IReadOnlyDictionary<string, string> tags, int hash, string paramName)
    {
        lock (_writeGate)
        {
            var buckets = _buckets;
            for (var entry = buckets[hash & (buckets.Length - 1)]; entry is not null; entry = entry.Next)
            {
                if (entry.Hash == hash && entry.Matches(tags))
                {
                    return entry.Resolution;
                }
            }

            var merged = TagSet.Merge(_defaults, tags, paramName);
            if (!_bySet.TryGetValue(merged, out var resolution))
            {
                if (_bySet.Count >= _maxTagSets)
                {
                    // Not remembered: remembering hostile tag sets is what the cap prevents.
                    return _overflow ??= new Resolution(OverflowTags, _maxTagSets, IsOverflow: true);
                }

                resolution = Register(merged);
            }

            // Several caller contents may merge to one tag set (one that repeats a default tag);
            // cap those entries too.
            if (_entries < 4 * _maxTagSets)
            {
                Insert(new Entry(hash, tags, resolution));
            }

            return resolution;
        }
    }

    private Resolution Register(TagSet tags)
    {
        var resolution = new Resolution(tags, _bySet.Count, IsOverflow: false);
        _bySet.Add(tags, resolution);
        return resolution;
    }

    /// <summary>Adds an entry; readers see the old chain or the new one, both complete.</summary>
    private void Insert(Entry entry)
    {
        var buckets = _buckets;
        if (_entries + 1 > buckets.Length * 3 / 4)
        {
            var grown = new Entry?[buckets.Length * 2];
            foreach (var head in buckets)
            {
                for (var old = head; old is not null; old = old.Next)
                {
                    ref var slot = ref grown[old.Hash & (grown.Length - 1)];
                    slot = old with { Next = slot };
                }
            }

            Volatile.Write(ref _buckets, grown);
            buckets = grown;
        }

        ref var bucket = ref buckets[entry.Hash & (buckets.Length - 1)];
        Volatile.Write(ref bucket, entry with { Next = bucket });
        _entries++;
    }

    /// <summary>An order-independent hash of the tags' content, validating every pair on the way.</summary>
    private static int ContentHash(IReadOnlyDictionary<string, string> tags, string paramName)
    {
        var hash = 0;
        if (tags is Dictionary<string, string> dictionary)
        {
            // The struct enumerator: no allocation for the common case.
            foreach (var (key, value) in dictionary)
            {
                hash += PairHash(key, value, paramName);
            }
        }
        else
        {
            foreach (var (key, value) in tags)
            {
                hash += PairHash(key, value, paramName);
            }
        }

        return hash;
    }

    private static int PairHash(string key, string value, string paramName)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A tag key must not be null or empty.", paramName);
        }

        if (value is null)
        {
            throw new ArgumentException($"The value of tag '{key}' must not be null.", paramName);
        }

        return HashCode.Combine(key, value);
    }

    /// <summary>A tag set and its slot; the same instance for every send with that content.</summary>
    internal sealed record Resolution(TagSet Tags, int Slot, bool IsOverflow);

    /// <summary>One caller content (copied, sorted by key) and what it resolves to.</summary>
    private sealed record Entry
    {
        private readonly string[] _keys;
        private readonly string[] _values;

        public Entry(int hash, IReadOnlyDictionary<string, string> tags, Resolution resolution)
        {
            Hash = hash;
            Resolution = resolution;
            var pairs = tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
            _keys = Array.ConvertAll(pairs, p => p.Key);
            _values = Array.ConvertAll(pairs, p => p.Value);
        }

        public int Hash { get; }

        public Resolution Resolution { get; }

        public Entry? Next { get; init; }

        public bool Matches(IReadOnlyDictionary<string, string> tags)
        {
            if (tags.Count != _keys.Length)
            {
                return false;
            }

            if (tags is Dictionary<string, string> dictionary)
            {
                foreach (var (key, value) in dictionary)
                {
                    if (!Holds(key, value))
                    {
                        return false;
                    }
                }

                return true;
            }

            foreach (var (key, value) in tags)
            {
                if (!Holds(key, value))
                {
                    return false;
                }
            }

            return true;
        }

        private bool Holds(string key, string value)
        {
            if (_keys.Length <= MaxKeysForLinearSearch)
            {
                for (var i = 0; i < _keys.Length; i++)
                {
                    if (string.Equals(_keys[i], key, StringComparison.Ordinal))
                    {
                        return string.Equals(_values[i], value, StringComparison.Ordinal);
                    }
                }

                return false;
            }

            var index = Array.BinarySearch(_keys, key, StringComparer.Ordinal);
            return index >= 0 && string.Equals(_values[index], value, StringComparison.Ordinal);
        }
    }
}
