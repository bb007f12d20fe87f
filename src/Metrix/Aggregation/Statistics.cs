namespace Metrix.Aggregation;

/// <summary>The functions behind the built-in aggregations, over one group's values.</summary>
internal static class Statistics
{
    public static double Sum(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += values[i];
        }

        return sum;
    }

    public static double Mean(IReadOnlyList<double> values) => Sum(values) / values.Count;

    public static double Min(IReadOnlyList<double> values)
    {
        var min = values[0];
        for (var i = 1; i < values.Count; i++)
        {
            min = Math.Min(min, values[i]);
        }

        return min;
    }

    public static double Max(IReadOnlyList<double> values)
    {
        var max = values[0];
        for (var i = 1; i < values.Count; i++)
        {
            max = Math.Max(max, values[i]);
        }

        return max;
    }

    /// <summary>Sample variance in two passes (mean first), which keeps precision for large offsets.</summary>
    public static double SampleVariance(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return double.NaN;
        }

        var mean = Mean(values);
        var squares = 0.0;
        for (var i = 0; i < values.Count; i++)
        {
            var d = values[i] - mean;
            squares += d * d;
        }

        return squares / (values.Count - 1);
    }

    /// <summary>Linear interpolation between closest ranks, rank (n − 1)·p/100 (Excel's PERCENTILE.INC).</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        // Sort a copy: the same values go on to the next aggregation in arrival order.
        var sorted = new double[values.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = values[i];
        }

        Array.Sort(sorted);
        var rank = (sorted.Length - 1) * p / 100;
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}
