using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Metrix.Ingest;

/// <summary>
/// An immutable set of tags sorted by key (ordinal), compared by content.
/// Grouping uses this type itself rather than the <c>key:value|key:value</c> string, so tag
/// values containing <c>|</c> or <c>:</c> can never make two different tag sets collide.
/// </summary>
internal sealed class TagSet : IReadOnlyDictionary<string, string>, IEquatable<TagSet>
{
    private readonly (string Key, string Value)[] _pairs;
    private readonly int _hashCode;
    private string? _key;

    /// <summary>The tag set with no tags. Elements carry <c>null</c> tags for it.</summary>
    public static readonly TagSet Empty = new([]);

    /// <param name="pairs">Valid pairs with distinct keys, sorted by key (ordinal); owned from now on.</param>
    private TagSet((string Key, string Value)[] pairs)
    {
        _pairs = pairs;
        var hash = new HashCode();
        foreach (var (key, value) in pairs)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        _hashCode = hash.ToHashCode();
    }

    /// <summary>The pairs, sorted by key (ordinal).</summary>
    public ReadOnlySpan<(string Key, string Value)> Pairs => _pairs;

    /// <summary>
    /// Builds a tag set from user tags, reading them once and validating every entry.
    /// </summary>
    /// <param name="tags">The tags; <c>null</c> or empty gives <see cref="Empty"/>.</param>
    /// <param name="paramName">The caller's parameter name, for the exception.</param>
    /// <exception cref="ArgumentException">A key is null or empty, or a value is null.</exception>
    public static TagSet From(IReadOnlyDictionary<string, string>? tags, string paramName)
    {
        if (tags is TagSet set)
        {
            return set;
        }

        if (tags is null)
        {
            return Empty;
        }

        // One read, into a snapshot that everything below uses.
        var buffer = default(TagBuffer);
        var reader = new TagReader(expected: null, buffer);
        reader.ReadAll(tags);
        var pairs = reader.Snapshot();
        TagPairs.Validate(pairs, paramName);
        var result = Merge(Empty, pairs, paramName);
        reader.Dispose();
        return result;
    }

    /// <summary>
    /// Returns <paramref name="defaults"/> overridden and extended, key by key, by
    /// <paramref name="pairs"/> (already validated, in any order).
    /// </summary>
    /// <exception cref="ArgumentException">A key occurs twice in <paramref name="pairs"/>.</exception>
    public static TagSet Merge(TagSet defaults, ReadOnlySpan<(string Key, string Value)> pairs, string paramName)
    {
        if (pairs.IsEmpty)
        {
            return defaults;
        }

        var sorted = TagPairs.SortedCopy(pairs, paramName);
        if (defaults.Count == 0)
        {
            return new TagSet(sorted);
        }

        // A sorted merge: a key given in the send wins over the default of that key.
        var merged = new List<(string Key, string Value)>(sorted.Length + defaults.Count);
        int s = 0, d = 0;
        while (s < sorted.Length || d < defaults._pairs.Length)
        {
            var order = s == sorted.Length ? 1 : d == defaults._pairs.Length ? -1 : string.CompareOrdinal(sorted[s].Key, defaults._pairs[d].Key);
            if (order <= 0)
            {
                merged.Add(sorted[s++]);
                d += order == 0 ? 1 : 0;
            }
            else
            {
                merged.Add(defaults._pairs[d++]);
            }
        }

        return new TagSet([.. merged]);
    }

    /// <summary>
    /// <c>key:value</c> pairs sorted by key and joined by <c>|</c>, or <c>null</c> when empty.
    /// Computed once, on first use: it is for display, not for grouping.
    /// </summary>
    public string? Key => _pairs.Length == 0 ? null : _key ??= string.Join('|', _pairs.Select(p => p.Key + ":" + p.Value));

    /// <summary>The tags as <c>{'a': 'b', 'c': 'd'}</c>, the seed's (Python's) form.</summary>
    public string ToPythonDict() => "{" + string.Join(", ", _pairs.Select(p => PythonRepr.String(p.Key) + ": " + PythonRepr.String(p.Value))) + "}";

    public int Count => _pairs.Length;

    public IEnumerable<string> Keys => _pairs.Select(p => p.Key);

    public IEnumerable<string> Values => _pairs.Select(p => p.Value);

    public string this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The tag '{key}' is not in this tag set.");

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _pairs[i].Value : null;
        return i >= 0;
    }

    /// <summary>The index of <paramref name="key"/> among the sorted pairs, or a negative number.</summary>
    public int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TagPairs.IndexOfKey(_pairs, key);
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        foreach (var (key, value) in _pairs)
        {
            yield return new KeyValuePair<string, string>(key, value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals([NotNullWhen(true)] TagSet? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null && _hashCode == other._hashCode && TagPairs.SequenceEqual(_pairs, other._pairs);
    }

    public override bool Equals(object? obj) => Equals(obj as TagSet);

    public override int GetHashCode() => _hashCode;

    public override string ToString() => Key ?? string.Empty;
}
