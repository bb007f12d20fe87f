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

    /// <summary>
    /// Folds one value in. <paramref name="withVariance"/> and <paramref name="withExtremes"/> skip
    /// Welford's division and the minimum and maximum when no aggregation of the stream needs them
    /// (a sum and a count, say): this runs on every send.
    /// </summary>
    public void Add(double value, bool withVariance, bool withExtremes)
    {
        if (Count == 0)
        {
            First = Min = Max = value;
        }
        else if (withExtremes)
        {
            // Values are finite (Send refuses the rest), so plain comparisons do what Math.Min/Max
            // do, without their NaN handling.
            Min = value < Min ? value : Min;
            Max = value > Max ? value : Max;
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
    /// Folds in the moments of the same window's values from another producer thread's stripe:
    /// Chan et al.'s pairwise update for the variance (symmetric); first and last come from
    /// whichever side had them earlier and later in time.
    /// </summary>
    /// <param name="other">The other stripe's moments.</param>
    /// <param name="otherFirstIsEarlier">Whether <paramref name="other"/>'s first value was sent before this one's.</param>
    /// <param name="otherLastIsLater">Whether <paramref name="other"/>'s last value was sent after this one's.</param>
    public void Merge(in Moments other, bool otherFirstIsEarlier, bool otherLastIsLater)
    {
        if (other.Count == 0)
        {
            return;
        }

        if (Count == 0)
        {
            this = other;
            return;
        }

        var count = Count + other.Count;
        var delta = other._mean - _mean;
        _m2 += other._m2 + (delta * delta * Count * other.Count / count);
        _mean += delta * other.Count / count;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        First = otherFirstIsEarlier ? other.First : First;
        Last = otherLastIsLater ? other.Last : Last;
        Sum += other.Sum;
        Count = count;
    }

    /// <summary>The moments of a list of values, folded in order.</summary>
    public static Moments Of(IReadOnlyList<double> values)
    {
        var moments = default(Moments);
        for (var i = 0; i < values.Count; i++)
        {
            moments.Add(values[i], withVariance: true, withExtremes: true);
        }

        return moments;
    }
}
