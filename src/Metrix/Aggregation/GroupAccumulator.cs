using System.Collections.ObjectModel;
using System.Runtime.InteropServices;

namespace Metrix.Aggregation;

/// <summary>
/// What one batch keeps for one series: only the state its stream's aggregations need (see
/// <see cref="AggregationPlan"/>): O(1) moments, bounded sketches, and the raw values only when a
/// custom function or an exact percentile asks for them.
/// </summary>
/// <remarks>
/// <para>Accumulators of one window in different stripes merge in time order: each knows the
/// stream's send sequence at its first value and (when its stream's aggregations expose order:
/// last, a custom function) at each value, so "earlier" always means earlier in time.</para>
/// <para>Its fields sit 64 bytes clear of both neighbours (explicit layout): the stripe's thread
/// writes them on every send, and whatever the allocator or a compacting GC puts next to it (a tag
/// set's lookup entry, the caller's dictionary) is read by every thread. Without the margins,
/// four threads on one metric measured 15–20 % slower.</para>
/// </remarks>
[StructLayout(LayoutKind.Explicit)]
internal sealed class GroupAccumulator
{
    [FieldOffset(64)]
    private readonly Series _series;

    [FieldOffset(72)]
    private readonly List<double>? _values;

    [FieldOffset(80)]
    private readonly List<long>? _sequences;

    [FieldOffset(88)]
    private readonly QuantileSketch[] _sketches;

    [FieldOffset(96)]
    private Moments _moments;

    [FieldOffset(160)]
    private long _firstSequence;

    [FieldOffset(168)]
    private long _lastSequence;

    [FieldOffset(176)]
    private readonly bool _withVariance;

    [FieldOffset(177)]
    private readonly bool _withExtremes;

    // The trailing margin: the object's last field, 64 bytes after the hot ones.
    [FieldOffset(240)]
    private readonly long _margin;

    public GroupAccumulator(Series series, long firstSequence, bool keepValues, bool keepSequences, bool withVariance, bool withExtremes, double[] sketchErrors)
    {
        _series = series;
        _firstSequence = firstSequence;
        _lastSequence = firstSequence;
        _withVariance = withVariance;
        _withExtremes = withExtremes;
        _values = keepValues ? [] : null;
        _sequences = keepValues && keepSequences ? [] : null;
        _sketches = sketchErrors.Length == 0 ? [] : Array.ConvertAll(sketchErrors, e => new QuantileSketch(e));
    }

    public Series Series => _series;

    public TagSet Tags => _series.Tags;

    /// <summary>The stream's send sequence when this group received its first value.</summary>
    public long FirstSequence => _firstSequence;

    /// <summary>The stream's send sequence of its last value (kept only when order is exposed).</summary>
    public long LastSequence => _lastSequence;

    public ref readonly Moments Moments => ref _moments;

    public QuantileSketch[] Sketches => _sketches;

    /// <summary>The values in the order they were sent, read-only (a custom function must not reorder what First and Last read).</summary>
    public ReadOnlyCollection<double> Values => (_values ?? throw new InvalidOperationException("This stream keeps no values.")).AsReadOnly();

    /// <param name="value">The value.</param>
    /// <param name="sequence">Its place in the stream's send order, when the stream's aggregations expose order; else 0.</param>
    public void Add(double value, long sequence)
    {
        _moments.Add(value, _withVariance, _withExtremes);
        if (sequence != 0)
        {
            _lastSequence = sequence;
            _sequences?.Add(sequence);
        }

        _values?.Add(value);
        foreach (var sketch in Sketches)
        {
            sketch.Add(value);
        }
    }

    /// <summary>
    /// Folds in one value of a stream whose plan is <see cref="AggregationPlan.MomentsOnly"/>: the
    /// moments and the last send's sequence. Never allocates, never throws.
    /// </summary>
    public void AddMoments(double value, long sequence)
    {
        _moments.Add(value, _withVariance, _withExtremes);
        if (sequence != 0)
        {
            _lastSequence = sequence;
        }
    }

    /// <summary>Folds in the same series' state from another stripe of the same window, in time order.</summary>
    public void Merge(GroupAccumulator other)
    {
        var otherFirst = other.FirstSequence < FirstSequence;
        var otherLast = other.LastSequence > LastSequence;
        _moments.Merge(other._moments, otherFirst, otherLast);
        MergeValues(other);
        for (var i = 0; i < Sketches.Length; i++)
        {
            Sketches[i].Merge(other.Sketches[i]);
        }

        _firstSequence = Math.Min(_firstSequence, other._firstSequence);
        _lastSequence = Math.Max(_lastSequence, other._lastSequence);
    }

    private void MergeValues(GroupAccumulator other)
    {
        if (_values is null)
        {
            return;
        }

        if (_sequences is null)
        {
            // Exact percentiles and the median: order does not matter.
            _values.AddRange(other._values!);
            return;
        }

        // Both are in send order: merge them by sequence.
        var values = new List<double>(_values.Count + other._values!.Count);
        var sequences = new List<long>(values.Capacity);
        int i = 0, j = 0;
        while (i < _values.Count || j < other._values.Count)
        {
            if (j == other._values.Count || (i < _values.Count && _sequences[i] < other._sequences![j]))
            {
                values.Add(_values[i]);
                sequences.Add(_sequences[i++]);
            }
            else
            {
                values.Add(other._values[j]);
                sequences.Add(other._sequences![j++]);
            }
        }

        _values.Clear();
        _values.AddRange(values);
        _sequences.Clear();
        _sequences.AddRange(sequences);
    }
}
