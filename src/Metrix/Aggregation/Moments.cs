namespace Metrix.Aggregation;

/// <summary>
/// The O(1) state behind every decomposable aggregation (sum, count, min, max, mean, variance,
/// standard deviation, first, last), folded one value at a time in arrival order.
/// </summary>
/// <remarks>
/// The buffered path (<see cref="MAgg.Func"/> over a list of values) folds the same recurrence in
/// the same order, so incremental and buffered results are bit-for-bit identical. Variance uses
/// Welford's update, which stays exact where a sum of squares would lose every digit.
/// </remarks>
internal struct Moments
{
    private double _mean;
    private double _m2;

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public double Min { get; private set; }

    public double Max { get; private set; }

    public double First { get; private set; }

    public double Last { get; private set; }

    public readonly double Mean => Sum / Count;

    /// <summary>The sample variance (n − 1); NaN for fewer than 2 values.</summary>
    public readonly double SampleVariance => Count < 2 ? double.NaN : _m2 / (Count - 1);

    /// <summary>Folds one value in. <paramref name="withVariance"/> skips Welford's division when no aggregation needs it.</summary>
    public void Add(double value, bool withVariance)
    {
        if (Count == 0)
        {
            First = Min = Max = value;
        }
        else
        {
            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
        }

        Last = value;
        Count++;
        Sum += value;
        if (withVariance)
        {
            var delta = value - _mean;
            _mean += delta / Count;
            _m2 += delta * (value - _mean);
        }
    }

    /// <summary>
    /// Folds in the moments of values that came after this one's (another producer thread's share
    /// of the same window): Chan et al.'s pairwise update for the variance.
    /// </summary>
    public void Merge(in Moments later)
    {
        if (later.Count == 0)
        {
            return;
        }

        if (Count == 0)
        {
            this = later;
            return;
        }

        var count = Count + later.Count;
        var delta = later._mean - _mean;
        _m2 += later._m2 + (delta * delta * Count * later.Count / count);
        _mean += delta * later.Count / count;
        Min = Math.Min(Min, later.Min);
        Max = Math.Max(Max, later.Max);
        Last = later.Last;
        Sum += later.Sum;
        Count = count;
    }

    /// <summary>The moments of a list of values, folded in order.</summary>
    public static Moments Of(IReadOnlyList<double> values)
    {
        var moments = default(Moments);
        for (var i = 0; i < values.Count; i++)
        {
            moments.Add(values[i], withVariance: true);
        }

        return moments;
    }
}
