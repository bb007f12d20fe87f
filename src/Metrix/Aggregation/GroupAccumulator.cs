using System.Collections.ObjectModel;

namespace Metrix.Aggregation;

/// <summary>
/// What one batch keeps for one tag set: only the state its stream's aggregations need (see
/// <see cref="AggregationPlan"/>): O(1) moments, bounded sketches, and the raw values only when a
/// custom function or an exact percentile asks for them.
/// </summary>
internal sealed class GroupAccumulator
{
    private readonly List<double>? _values;
    private readonly bool _withVariance;
    private Moments _moments;

    public GroupAccumulator(TagSet tags, int slot, bool keepValues, bool withVariance, double[] sketchErrors)
    {
        Tags = tags;
        Slot = slot;
        _withVariance = withVariance;
        _values = keepValues ? [] : null;
        Sketches = sketchErrors.Length == 0 ? [] : Array.ConvertAll(sketchErrors, e => new QuantileSketch(e));
    }

    public TagSet Tags { get; }

    /// <summary>The tag set's slot in its stream (see <c>TagSetRegistry</c>).</summary>
    public int Slot { get; }

    public ref readonly Moments Moments => ref _moments;

    public QuantileSketch[] Sketches { get; }

    /// <summary>The values in arrival order, read-only (a custom function must not reorder what First and Last read).</summary>
    public ReadOnlyCollection<double> Values => (_values ?? throw new InvalidOperationException("This stream keeps no values.")).AsReadOnly();

    /// <summary>Folds in the same tag set's state from values that came after this one's.</summary>
    public void Merge(GroupAccumulator later)
    {
        _moments.Merge(later._moments);
        _values?.AddRange(later._values!);
        for (var i = 0; i < Sketches.Length; i++)
        {
            Sketches[i].Merge(later.Sketches[i]);
        }
    }

    public void Add(double value)
    {
        _moments.Add(value, _withVariance);
        _values?.Add(value);
        foreach (var sketch in Sketches)
        {
            sketch.Add(value);
        }
    }
}
