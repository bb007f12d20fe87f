using System.Numerics;
using System.Runtime.CompilerServices;

namespace Metrix.Ingest;

/// <summary>
/// A direct-mapped cache of recently resolved contents, keyed by an int: a dictionary's identity
/// hash, or a content's fingerprint. Read and written without locks: an entry can be torn or
/// stale, so every hit is verified against the caller's tags before it is used.
/// </summary>
/// <remarks>
/// It grows with the number of tag sets its stream remembers (see <see cref="EnsureCapacity"/>), so
/// a stream with many tag sets does not thrash it and a stream with few costs little memory.
/// Retired contents are never returned, and are cleared so they do not stay reachable.
/// </remarks>
internal sealed class ContentCache
{
    /// <summary>
    /// The size once used: direct-mapped, n keys in m slots collide in about n²/2m pairs, so even a
    /// few tag sets want a roomy table (16 in 64 slots measured 40 % slower sends).
    /// </summary>
    public const int MinCapacity = 1024;

    public const int MaxCapacity = 16_384;

    // One empty entry until the first Set, so a stream that never resolves tags costs nothing.
    private Entry[] _entries = new Entry[1];

    public int Capacity => Volatile.Read(ref _entries).Length;

    /// <summary>The live content last stored under <paramref name="key"/>, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ContentKey? Get(int key)
    {
        var entries = Volatile.Read(ref _entries);
        ref var entry = ref entries[key & (entries.Length - 1)];
        return entry.Key == key && entry.Content is { } content && !content.IsRetired ? content : null;
    }

    public void Set(int key, ContentKey content)
    {
        var entries = Volatile.Read(ref _entries);
        if (entries.Length < MinCapacity)
        {
            EnsureCapacity(0);
            entries = Volatile.Read(ref _entries);
        }

        ref var entry = ref entries[key & (entries.Length - 1)];
        entry.Content = content;
        entry.Key = key;
    }

    /// <summary>Grows (emptied: it refills as tags are resolved) to hold about <paramref name="contents"/> with few collisions.</summary>
    public void EnsureCapacity(int contents)
    {
        var wanted = (int)Math.Min(MaxCapacity, BitOperations.RoundUpToPowerOf2((uint)Math.Max(MinCapacity, 4 * contents)));
        if (wanted > Capacity)
        {
            // Two threads growing at once each install an empty table: harmless, it refills.
            Volatile.Write(ref _entries, new Entry[wanted]);
        }
    }

    /// <summary>Clears the entries of retired contents, so nothing keeps them alive.</summary>
    public void ClearRetired()
    {
        var entries = Volatile.Read(ref _entries);
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Content is { IsRetired: true })
            {
                entries[i].Content = null;
            }
        }
    }

    private struct Entry
    {
        public ContentKey? Content;
        public int Key;
    }
}
