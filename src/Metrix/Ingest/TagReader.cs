namespace Metrix.Ingest;

/// <summary>
/// Reads a caller's tags in one enumeration, checking them against the content the caller most
/// likely sent (the last one seen from the same dictionary) as they come, and copying them into a
/// snapshot only if they turn out to differ. The common case (a reused dictionary, unchanged) thus
/// copies nothing; any other still reads the dictionary exactly once.
/// </summary>
/// <remarks>Measured against a static matching loop returning its state in registers: in place, in
/// <c>Send</c>, this shape was faster by about 3 ns per send with two tags.</remarks>
internal ref struct TagReader
{
    private readonly ContentKey? _expected;
    private TagSnapshot _snapshot;
    private ulong _matched;
    private int _count;
    private bool _copying;

    /// <param name="expected">The content expected, or null.</param>
    /// <param name="buffer">Room for a snapshot, used only if the tags differ from the expected content.</param>
    public TagReader(ContentKey? expected, Span<(string Key, string Value)> buffer)
    {
        _expected = expected;
        _snapshot = new TagSnapshot(buffer);
        _copying = expected is null || expected.Count > 64;
    }

    /// <summary>Whether the tags read hold exactly the expected content.</summary>
    public readonly bool MatchesExpected => !_copying && _count == _expected!.Count;

    /// <summary>Reads every pair of <paramref name="tags"/>, once.</summary>
    public void ReadAll(IReadOnlyDictionary<string, string> tags)
    {
        if (tags is Dictionary<string, string> dictionary)
        {
            // The struct enumerator: no allocation for the common case.
            foreach (var (key, value) in dictionary)
            {
                Add(key, value);
            }
        }
        else
        {
            foreach (var (key, value) in tags)
            {
                Add(key, value);
            }
        }
    }

    /// <summary>The snapshot of what was read (unvalidated). Call only when <see cref="MatchesExpected"/> is false.</summary>
    public ReadOnlySpan<(string Key, string Value)> Snapshot()
    {
        if (!_copying)
        {
            // Fewer pairs than expected: the ones read are the expected content's matched pairs.
            CopyMatched();
        }

        return _snapshot.Pairs;
    }

    /// <summary>Gives back the pooled array a large snapshot needed, if any.</summary>
    public void Dispose() => _snapshot.Dispose();

    private void Add(string key, string value)
    {
        if (!_copying)
        {
            var i = _expected!.IndexOf(key);
            if (i >= 0 && (_matched & (1UL << i)) == 0 && TagPairs.SameString(_expected.ValueAt(i), value))
            {
                _matched |= 1UL << i;
                _count++;
                return;
            }

            CopyMatched();
        }

        _snapshot.Add((key, value));
        _count++;
    }

    /// <summary>From here on the tags are copied: first the pairs already read, which are the expected content's matched ones.</summary>
    private void CopyMatched()
    {
        _copying = true;
        for (var i = 0; i < 64 && (_matched >> i) != 0; i++)
        {
            if ((_matched & (1UL << i)) != 0)
            {
                _snapshot.Add(_expected!.PairAt(i));
            }
        }
    }
}
