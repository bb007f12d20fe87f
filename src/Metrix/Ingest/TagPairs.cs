using System.Buffers;
using System.Runtime.CompilerServices;

namespace Metrix.Ingest;

/// <summary>Room on the stack for the tags of one send, so that reading them allocates nothing.</summary>
[InlineArray(Capacity)]
internal struct TagBuffer
{
    public const int Capacity = 4;

    private (string Key, string Value) _first;
}

/// <summary>
/// The rules for tags, in one place: how a caller's tags are read (once), validated, hashed by
/// content and compared. Tags travel as spans of <c>(Key, Value)</c> pairs in any order.
/// </summary>
internal static class TagPairs
{
    /// <exception cref="ArgumentException">A key is null or empty, or a value is null.</exception>
    public static void Validate(ReadOnlySpan<(string Key, string Value)> pairs, string paramName)
    {
        foreach (var (key, value) in pairs)
        {
            Validate(key, value, paramName);
        }
    }

    /// <summary>Gives back a pooled array a snapshot grew into, if any.</summary>
    public static void Return((string Key, string Value)[]? spill)
    {
        if (spill is not null)
        {
            ArrayPool<(string Key, string Value)>.Shared.Return(spill, clearArray: true);
        }
    }

    /// <exception cref="ArgumentException">The key is null or empty, or the value is null.</exception>
    public static void Validate(string? key, string? value, string paramName)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A tag key must not be null or empty.", paramName);
        }

        if (value is null)
        {
            throw new ArgumentException($"The value of tag '{key}' must not be null.", paramName);
        }
    }

    /// <summary>Ordinal equality, settled inline when both are the same instance (the usual case for tags).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SameString(string? a, string? b) => ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>
    /// A cheap, order-independent fingerprint of a content (lengths and a few characters of each
    /// string), for probing a fixed-size cache whose hits are verified against the content. Not
    /// randomized, so it is never used where a collision costs more than a cache miss.
    /// </summary>
    public static int Fingerprint(ReadOnlySpan<(string Key, string Value)> pairs)
    {
        var fingerprint = (uint)pairs.Length;
        foreach (var (key, value) in pairs)
        {
            // Summed over the pairs, so their order does not matter; a key and a value do not commute.
            fingerprint += Mix((Sample(key) * 0x01000193u) ^ Sample(value));
        }

        return (int)Mix(fingerprint);
    }

    /// <summary><see cref="ContentHash"/>, validating every pair on the way (one pass).</summary>
    /// <exception cref="ArgumentException">A key is null or empty, or a value is null.</exception>
    public static int ValidatedContentHash(ReadOnlySpan<(string Key, string Value)> pairs, string paramName)
    {
        var hash = 0;
        foreach (var (key, value) in pairs)
        {
            Validate(key, value, paramName);
            hash += HashCode.Combine(key, value);
        }

        return hash;
    }

    /// <summary>An order-independent hash of the content: equal contents in any order hash alike.</summary>
    public static int ContentHash(ReadOnlySpan<(string Key, string Value)> pairs)
    {
        var hash = 0;
        foreach (var (key, value) in pairs)
        {
            hash += HashCode.Combine(key, value);
        }

        return hash;
    }

    /// <summary>A copy sorted by key (ordinal).</summary>
    /// <exception cref="ArgumentException">A key occurs twice.</exception>
    public static (string Key, string Value)[] SortedCopy(ReadOnlySpan<(string Key, string Value)> pairs, string paramName)
    {
        var sorted = pairs.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (var i = 1; i < sorted.Length; i++)
        {
            if (string.Equals(sorted[i - 1].Key, sorted[i].Key, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The tag '{sorted[i].Key}' is given twice.", paramName);
            }
        }

        return sorted;
    }

    /// <summary>Where <paramref name="key"/> is in pairs sorted by key, or a negative number.</summary>
    public static int IndexOfKey(ReadOnlySpan<(string Key, string Value)> sorted, string key)
    {
        if (sorted.Length <= 8)
        {
            for (var i = 0; i < sorted.Length; i++)
            {
                if (string.Equals(sorted[i].Key, key, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        int low = 0, high = sorted.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = string.CompareOrdinal(sorted[middle].Key, key);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="pairs"/> (any order) hold exactly the content of <paramref name="sorted"/> (distinct keys).</summary>
    public static bool SameContent(ReadOnlySpan<(string Key, string Value)> sorted, ReadOnlySpan<(string Key, string Value)> pairs)
    {
        if (pairs.Length != sorted.Length)
        {
            return false;
        }

        if (pairs.Length > 64)
        {
            return SameContentSlow(sorted, pairs);
        }

        // Each pair must be found, and no key twice: equal counts then mean equal contents.
        var seen = 0UL;
        foreach (var (key, value) in pairs)
        {
            var i = IndexOfKey(sorted, key);
            if (i < 0 || (seen & (1UL << i)) != 0 || !string.Equals(sorted[i].Value, value, StringComparison.Ordinal))
            {
                return false;
            }

            seen |= 1UL << i;
        }

        return true;
    }

    public static bool SequenceEqual(ReadOnlySpan<(string Key, string Value)> a, ReadOnlySpan<(string Key, string Value)> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i].Key, b[i].Key, StringComparison.Ordinal) || !string.Equals(a[i].Value, b[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameContentSlow(ReadOnlySpan<(string Key, string Value)> sorted, ReadOnlySpan<(string Key, string Value)> pairs)
    {
        var seen = new bool[sorted.Length];
        foreach (var (key, value) in pairs)
        {
            var i = IndexOfKey(sorted, key);
            if (i < 0 || seen[i] || !string.Equals(sorted[i].Value, value, StringComparison.Ordinal))
            {
                return false;
            }

            seen[i] = true;
        }

        return true;
    }

    /// <summary>A string's length and its first, middle and last characters, mixed; 0 for null or empty.</summary>
    private static uint Sample(string? s) =>
        string.IsNullOrEmpty(s) ? 0 : Mix(((uint)s.Length * 0x9E3779B1u) ^ ((uint)s[0] << 16) ^ ((uint)s[s.Length >> 1] << 8) ^ s[^1]);

    /// <summary>Murmur3's finalizer: every input bit reaches every output bit, so a cache can use the low bits.</summary>
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        return h ^ (h >> 16);
    }

    /// <summary>Rare: more tags than the stack buffer holds. Moves them to a pooled array twice the size.</summary>
    public static Span<(string Key, string Value)> Grow(Span<(string Key, string Value)> pairs, scoped ref (string Key, string Value)[]? spill)
    {
        var grown = ArrayPool<(string Key, string Value)>.Shared.Rent(Math.Max(2 * pairs.Length, TagBuffer.Capacity));
        pairs.CopyTo(grown);
        Return(spill);
        spill = grown;
        return grown;
    }
}
