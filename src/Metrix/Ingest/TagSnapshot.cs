namespace Metrix.Ingest;

/// <summary>
/// A copy of a caller's tags, built on the stack (pooled arrays beyond <see cref="TagBuffer.Capacity"/>
/// pairs), so reading tags allocates nothing.
/// </summary>
internal ref struct TagSnapshot
{
    private Span<(string Key, string Value)> _pairs;
    private (string Key, string Value)[]? _spill;
    private int _count;

    public TagSnapshot(Span<(string Key, string Value)> buffer) => _pairs = buffer;

    /// <summary>The pairs copied so far.</summary>
    public readonly ReadOnlySpan<(string Key, string Value)> Pairs => _pairs[.._count];

    public void Add((string Key, string Value) pair)
    {
        if (_count == _pairs.Length)
        {
            _pairs = TagPairs.Grow(_pairs, ref _spill);
        }

        _pairs[_count++] = pair;
    }

    /// <summary>Gives back the pooled array, if one was needed. The pairs are gone afterwards.</summary>
    public void Dispose()
    {
        TagPairs.Return(_spill);
        _spill = null;
        _pairs = default;
        _count = 0;
    }
}
