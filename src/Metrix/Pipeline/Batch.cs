using Metrix.Aggregation;

namespace Metrix.Pipeline;

/// <summary>
/// The state of one open batch or window: one accumulator per tag set, found by the tag set's slot
/// (an array index, assigned once per stream by <see cref="TagSetRegistry"/>), listed in order of
/// first appearance.
/// </summary>
internal sealed class Batch
{
    private readonly AggregationPlan _plan;
    private readonly List<GroupAccumulator> _groups = [];
    private GroupAccumulator?[] _bySlot;

    public Batch(AggregationPlan plan, int slotCount)
    {
        _plan = plan;
        _bySlot = new GroupAccumulator?[Math.Max(slotCount, 4)];
    }

    /// <summary>When the batch closed, on the coordinator's scheduler; set when it is emitted.</summary>
    public DateTimeOffset ClosedAt { get; set; }

    /// <summary>The number of values added.</summary>
    public int Count { get; private set; }

    /// <summary>The groups in order of first appearance.</summary>
    public IReadOnlyList<GroupAccumulator> Groups => _groups;

    /// <summary>
    /// Folds in another batch of the same window (another stripe's), as if its values had come
    /// after this one's: its new groups go after this batch's, in their own order.
    /// </summary>
    public void Merge(Batch later, int slotCount)
    {
        if (later.Count == 0)
        {
            return;
        }

        if (slotCount > _bySlot.Length)
        {
            Array.Resize(ref _bySlot, slotCount);
        }

        foreach (var group in later._groups)
        {
            var slot = group.Slot;
            if (_bySlot[slot] is { } existing)
            {
                existing.Merge(group);
            }
            else
            {
                _bySlot[slot] = group;
                _groups.Add(group);
            }
        }

        Count += later.Count;
    }

    public void Add(double value, TagSetRegistry.Resolution tags)
    {
        var slot = tags.Slot;
        if (slot >= _bySlot.Length)
        {
            Array.Resize(ref _bySlot, Math.Max(slot + 1, _bySlot.Length * 2));
        }

        var group = _bySlot[slot];
        if (group is null)
        {
            group = _plan.NewGroup(tags.Tags, slot);
            _bySlot[slot] = group;
            _groups.Add(group);
        }

        group.Add(value);
        Count++;
    }
}
