namespace Metrix.Ingest;

/// <summary>
/// One tag set of one stream, while the stream remembers it: the merged tags, the slot of its
/// accumulator in a batch, and in which window it was last admitted.
/// </summary>
/// <remarks>
/// A stream admits at most <c>MaxTagSets</c> tag sets per window; a series is admitted in a window
/// the first time it is used in it, or folded into the overflow series for that window. A series
/// the stream no longer remembers is retired for good: its slot goes to another tag set, and a
/// caller still holding it resolves its tags again (see <see cref="TagSetRegistry"/>).
/// </remarks>
internal sealed class Series
{
    private const long RetiredState = long.MinValue;
    private const long NeverAdmitted = -2;

    // (window << 1) | overflowed, or RetiredState. One word, so readers never see half a change.
    private long _state = NeverAdmitted;

    public Series(TagSet tags, int slot, bool isOverflow = false)
    {
        Tags = tags;
        Slot = slot;
        IsOverflow = isOverflow;
    }

    private Series(TagSet tags, long refusedIn)
        : this(tags, slot: -1)
    {
        IsRefused = true;
        _state = (refusedIn << 1) | 1;
    }

    /// <summary>
    /// A tag set the cap refused in <paramref name="window"/>, not remembered: its values go to that
    /// window's overflow group; a send that reaches a later window (a close came between the
    /// refusal and the send) resolves its tags again there.
    /// </summary>
    public static Series Refused(TagSet tags, long window) => new(tags, window);

    /// <summary>Whether this is a refusal (<see cref="Refused"/>): no slot, never admitted, valid for its window only.</summary>
    public bool IsRefused { get; }

    public TagSet Tags { get; }

    /// <summary>The index of this series' accumulator in a batch; reused by another series once this one is retired.</summary>
    public int Slot { get; }

    /// <summary>Whether this is the stream's <c>metrix.overflow=true</c> series.</summary>
    public bool IsOverflow { get; }

    /// <summary>The contents that resolve to this series, removed from the lookup when it is retired.</summary>
    public List<ContentKey> Contents { get; } = new(1);

    public bool IsRetired => Volatile.Read(ref _state) == RetiredState;

    /// <summary>Admitted in <paramref name="window"/> under its own tags.</summary>
    public bool IsAdmittedIn(long window) => Volatile.Read(ref _state) == window << 1;

    /// <summary>Folded into overflow for <paramref name="window"/>.</summary>
    public bool IsOverflowedIn(long window) => Volatile.Read(ref _state) == ((window << 1) | 1);

    /// <summary>The last window it was admitted or overflowed in; -1 if never.</summary>
    public long LastWindow
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return state < 0 ? -1 : state >> 1;
        }
    }

    public bool OverflowedLast => (Volatile.Read(ref _state) & 1) == 1;

    /// <summary>Under the registry's lock.</summary>
    public void Admit(long window, bool overflowed) => Volatile.Write(ref _state, (window << 1) | (overflowed ? 1L : 0L));

    /// <summary>Under the registry's lock.</summary>
    public void Retire() => Volatile.Write(ref _state, RetiredState);
}
