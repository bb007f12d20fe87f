using System.Runtime.CompilerServices;
using Metrix.Aggregation;

namespace Metrix.Ingest;

/// <summary>
/// The state of one open batch or window in one stripe: one accumulator per series, found by the
/// series' slot (an array index) and checked to belong to that series, since a retired series'
/// slot goes to another.
/// </summary>
internal sealed class Batch
{
    private readonly AggregationPlan _plan;
    private readonly List<GroupAccumulator> _groups = [];
    private GroupAccumulator?[] _bySlot;

    public Batch(AggregationPlan plan, long window, int slotCount)
    {
        _plan = plan;
        Window = window;
        _bySlot = new GroupAccumulator?[Math.Max(slotCount, 4)];
    }

    /// <summary>The window (or batch) number this batch collects, as numbered by <see cref="TagSetRegistry.Window"/>.</summary>
    public long Window { get; private set; }

    /// <summary>When the batch closed (its window's boundary, or the time of a flush or a full batch); set when it is emitted.</summary>
    public DateTimeOffset ClosedAt { get; set; }

    /// <summary>The number of values added.</summary>
    public long Count { get; set; }

    /// <summary>The groups, in order of first appearance once <see cref="Merge"/> has ordered them.</summary>
    public IReadOnlyList<GroupAccumulator> Groups => _groups;

    /// <summary>The accumulator of <paramref name="series"/> in this batch, or null when it has none yet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public GroupAccumulator? Find(Series series)
    {
        var slot = series.Slot;
        var bySlot = _bySlot;
        return (uint)slot < (uint)bySlot.Length && bySlot[slot] is { } group && ReferenceEquals(group.Series, series) ? group : null;
    }

    /// <summary>Starts the accumulator of an admitted series (or the overflow series).</summary>
    /// <param name="series">The series.</param>
    /// <param name="sequence">When it started, in the stream's send order.</param>
    public GroupAccumulator Start(Series series, long sequence)
    {
        var slot = series.Slot;
        if (slot >= _bySlot.Length)
        {
            Array.Resize(ref _bySlot, Math.Max(slot + 1, _bySlot.Length * 2));
        }

        var group = _plan.NewGroup(series, sequence);
        _bySlot[slot] = group;
        _groups.Add(group);
        return group;
    }

    /// <summary>
    /// Folds in the batches of the same window from the other stripes, then puts the groups in the
    /// time order of their first values, whichever stripe they came through.
    /// </summary>
    public void Merge(IEnumerable<Batch> others)
    {
        var merged = false;
        foreach (var other in others)
        {
            if (ReferenceEquals(other, this) || other.Count == 0)
            {
                continue;
            }

            foreach (var group in other._groups)
            {
                if (Find(group.Series) is { } existing)
                {
                    existing.Merge(group);
                }
                else
                {
                    if (group.Series.Slot >= _bySlot.Length)
                    {
                        Array.Resize(ref _bySlot, Math.Max(group.Series.Slot + 1, _bySlot.Length * 2));
                    }

                    _bySlot[group.Series.Slot] = group;
                    _groups.Add(group);
                }
            }

            Count += other.Count;
            merged = true;
        }

        if (merged)
        {
            _groups.Sort(static (a, b) => a.FirstSequence.CompareTo(b.FirstSequence));
        }
    }

    /// <summary>Drops the batch's accumulators (so they do not outlive their window) and zeroes its count.</summary>
    public void Clear()
    {
        foreach (var group in _groups)
        {
            _bySlot[group.Series.Slot] = null;
        }

        _groups.Clear();
        Count = 0;
    }

    /// <summary>Reuses this empty batch for window <paramref name="window"/>.</summary>
    public Batch Open(long window, int slotCount)
    {
        if (slotCount > _bySlot.Length)
        {
            _bySlot = new GroupAccumulator?[slotCount];
        }

        Window = window;
        return this;
    }
}
