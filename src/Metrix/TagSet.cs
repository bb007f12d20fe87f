using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Metrix;

/// <summary>
/// An immutable set of tags sorted by key (ordinal), compared by content.
/// Grouping uses this type itself rather than the <c>key:value|key:value</c> string, so tag
/// values containing <c>|</c> or <c>:</c> can never make two different tag sets collide.
/// </summary>
internal sealed class TagSet : IReadOnlyDictionary<string, string>, IEquatable<TagSet>
{
    private readonly string[] _keys;
    private readonly string[] _values;
    private readonly int _hashCode;
    private string? _key;

    /// <summary>The tag set with no tags. Elements carry <c>null</c> tags for it.</summary>
    public static readonly TagSet Empty = new([], []);

    private TagSet(string[] keys, string[] values)
    {
        _keys = keys;
        _values = values;
        var hash = new HashCode();
        for (var i = 0; i < keys.Length; i++)
        {
            hash.Add(keys[i], StringComparer.Ordinal);
            hash.Add(values[i], StringComparer.Ordinal);
        }

        _hashCode = hash.ToHashCode();
    }

    /// <summary>
    /// Builds a tag set from user tags, validating every entry.
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

        if (tags is null || tags.Count == 0)
        {
            return Empty;
        }

        var pairs = new KeyValuePair<string, string>[tags.Count];
        var n = 0;
        foreach (var pair in tags)
        {
            Validate(pair, paramName);
            pairs[n++] = pair;
        }

        return FromPairs(pairs, n);
    }

    /// <summary>
    /// Returns <paramref name="defaults"/> overridden and extended, key by key, by
    /// <paramref name="tags"/>, validating the entries of <paramref name="tags"/>.
    /// </summary>
    public static TagSet Merge(TagSet defaults, IReadOnlyDictionary<string, string>? tags, string paramName)
    {
        if (tags is null || tags.Count == 0)
        {
            return defaults;
        }

        if (defaults.Count == 0)
        {
            return From(tags, paramName);
        }

        var pairs = new KeyValuePair<string, string>[defaults.Count + tags.Count];
        var n = 0;
        foreach (var pair in tags)
        {
            Validate(pair, paramName);
            pairs[n++] = pair;
        }

        for (var i = 0; i < defaults._keys.Length; i++)
        {
            if (!tags.ContainsKey(defaults._keys[i]))
            {
                pairs[n++] = new KeyValuePair<string, string>(defaults._keys[i], defaults._values[i]);
            }
        }

        return FromPairs(pairs, n);
    }

    private static void Validate(KeyValuePair<string, string> pair, string paramName)
    {
        if (string.IsNullOrEmpty(pair.Key))
        {
            throw new ArgumentException("A tag key must not be null or empty.", paramName);
        }

        if (pair.Value is null)
        {
            throw new ArgumentException($"The value of tag '{pair.Key}' must not be null.", paramName);
        }
    }

    private static TagSet FromPairs(KeyValuePair<string, string>[] pairs, int count)
    {
        Array.Sort(pairs, 0, count, PairKeyComparer.Instance);
        var keys = new string[count];
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = pairs[i].Key;
            values[i] = pairs[i].Value;
        }

        return new TagSet(keys, values);
    }

    /// <summary>
    /// <c>key:value</c> pairs sorted by key and joined by <c>|</c>, or <c>null</c> when empty.
    /// Computed once, on first use: it is for display, not for grouping.
    /// </summary>
    public string? Key => _keys.Length == 0 ? null : _key ??= BuildKey();

    private string BuildKey()
    {
        var parts = new string[_keys.Length];
        for (var i = 0; i < _keys.Length; i++)
        {
            parts[i] = _keys[i] + ":" + _values[i];
        }

        return string.Join('|', parts);
    }

    /// <summary>The tags as <c>{'a': 'b', 'c': 'd'}</c>, the seed's (Python's) form.</summary>
    public string ToPythonDict()
    {
        var parts = new string[_keys.Length];
        for (var i = 0; i < _keys.Length; i++)
        {
            parts[i] = "'" + _keys[i] + "': '" + _values[i] + "'";
        }

        return "{" + string.Join(", ", parts) + "}";
    }

    public int Count => _keys.Length;

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<string> Values => _values;

    public string this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The tag '{key}' is not in this tag set.");

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Array.BinarySearch(_keys, key, StringComparer.Ordinal);
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            yield return new KeyValuePair<string, string>(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals([NotNullWhen(true)] TagSet? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null
            && _hashCode == other._hashCode
            && _keys.AsSpan().SequenceEqual(other._keys)
            && _values.AsSpan().SequenceEqual(other._values);
    }

    public override bool Equals(object? obj) => Equals(obj as TagSet);

    public override int GetHashCode() => _hashCode;

    public override string ToString() => Key ?? string.Empty;

    private sealed class PairKeyComparer : IComparer<KeyValuePair<string, string>>
    {
        public static readonly PairKeyComparer Instance = new();

        public int Compare(KeyValuePair<string, string> x, KeyValuePair<string, string> y) =>
            string.CompareOrdinal(x.Key, y.Key);
    }
}
