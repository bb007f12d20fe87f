namespace Metrix.Pipeline;

/// <summary>
/// The elements of one batch or window, already grouped by tag set: groups in order of first
/// appearance, values in arrival order. Holds 8 bytes per value plus one entry per group.
/// </summary>
internal sealed class Batch
{
    private readonly Dictionary<TagSet, List<double>> _index = [];
    private readonly List<KeyValuePair<TagSet, List<double>>> _groups = [];

    /// <summary>When the batch closed, on the coordinator's scheduler; set when it is emitted.</summary>
    public DateTimeOffset ClosedAt { get; set; }

    /// <summary>The number of values added.</summary>
    public int Count { get; private set; }

    /// <summary>The groups in order of first appearance.</summary>
    public IReadOnlyList<KeyValuePair<TagSet, List<double>>> Groups => _groups;

    public void Add(double value, TagSet tags)
    {
        if (!_index.TryGetValue(tags, out var values))
        {
            values = [];
            _index.Add(tags, values);
            _groups.Add(new KeyValuePair<TagSet, List<double>>(tags, values));
        }

        values.Add(value);
        Count++;
    }
}
