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
            group = _plan.NewGroup(tags.Tags);
            _bySlot[slot] = group;
            _groups.Add(group);
        }

        group.Add(value);
        Count++;
    }
}
