namespace Metrix.Ingest;

/// <summary>
/// One tag content a caller has sent (sorted, copied once) and the series it resolves to. Several
/// contents can resolve to one series: <c>{}</c> and <c>{section: NA}</c> both give a stream's
/// default <c>section=NA</c>.
/// </summary>
internal sealed class ContentKey
{
    private readonly (string Key, string Value)[] _sorted;
    private bool _retired;

    public ContentKey((string Key, string Value)[] sorted, int hash, Series series)
    {
        _sorted = sorted;
        Hash = hash;
        Series = series;
    }

    /// <summary><see cref="TagPairs.ContentHash"/> of the content.</summary>
    public int Hash { get; }

    public Series Series { get; }

    /// <summary>
    /// Whether its series was retired: set before the content leaves the lookup, and read on the
    /// hot path from this object (which a cache hit has in hand), not from the series.
    /// </summary>
    public bool IsRetired => Volatile.Read(ref _retired);

    /// <summary>The number of pairs.</summary>
    public int Count => _sorted.Length;

    /// <summary>
    /// The index of <paramref name="key"/> among the sorted pairs, or a negative number. A caller's
    /// keys are usually the very instances seen before (literals), so identity settles most probes.
    /// </summary>
    public int IndexOf(string key)
    {
        var sorted = _sorted;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (ReferenceEquals(sorted[i].Key, key))
            {
                return i;
            }
        }

        return TagPairs.IndexOfKey(sorted, key);
    }

    public string ValueAt(int index) => _sorted[index].Value;

    public (string Key, string Value) PairAt(int index) => _sorted[index];

    public bool Matches(ReadOnlySpan<(string Key, string Value)> pairs) => TagPairs.SameContent(_sorted, pairs);

    public bool Matches(ContentKey other) => TagPairs.SequenceEqual(_sorted, other._sorted);

    /// <summary>Under the registry's lock, when its series is retired.</summary>
    public void Retire() => Volatile.Write(ref _retired, true);
}

/// <summary>A caller's tags as a lookup key: the pairs (any order) and their content hash. Lives on the stack.</summary>
internal readonly ref struct TagSpan
{
    public TagSpan(ReadOnlySpan<(string Key, string Value)> pairs, int hash)
    {
        Pairs = pairs;
        Hash = hash;
    }

    public ReadOnlySpan<(string Key, string Value)> Pairs { get; }

    public int Hash { get; }
}

/// <summary>Compares stored contents with each other and with a caller's tags on the stack, so a lookup allocates nothing.</summary>
internal sealed class ContentKeyComparer : IEqualityComparer<ContentKey>, IAlternateEqualityComparer<TagSpan, ContentKey>
{
    public static readonly ContentKeyComparer Instance = new();

    public bool Equals(ContentKey? x, ContentKey? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Hash == y.Hash && x.Matches(y));

    public int GetHashCode(ContentKey obj) => obj.Hash;

    public bool Equals(TagSpan alternate, ContentKey other) => alternate.Hash == other.Hash && other.Matches(alternate.Pairs);

    public int GetHashCode(TagSpan alternate) => alternate.Hash;

    /// <summary>Not used: contents are added with their series, under the registry's lock.</summary>
    public ContentKey Create(TagSpan alternate) =>
        throw new NotSupportedException("Tag contents are added with their series by TagSetRegistry, never through a lookup.");
}
