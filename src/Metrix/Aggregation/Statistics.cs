namespace Metrix.Aggregation;

/// <summary>Exact order statistics over one group's values (the aggregations that need every value).</summary>
internal static class Statistics
{
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
