using System.Globalization;
using Metrix.Aggregation;

namespace Metrix;

/// <summary>
/// An aggregation: a name and a function from one group's values (in arrival order) to one value.
/// </summary>
/// <remarks>
/// Built-ins cover the usual statistics; <see cref="MAgg(string, Func{IReadOnlyList{double}, double})"/>
/// wraps any other function. A function is called with at least one value, never concurrently
/// for the same stream, and never on the thread that called <see cref="MCoordinator.Send"/>
/// unless a batch by count closes on that call. If it throws, the coordinator logs and counts the
/// failure and skips that one output; the other aggregations and groups carry on.
/// </remarks>
public sealed class MAgg
{
    /// <summary>Creates a custom aggregation.</summary>
    /// <param name="name">The name, used in output names (<c>stream.name</c>); not null or empty.</param>
    /// <param name="func">The function; it receives the group's values in arrival order, read-only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="func"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public MAgg(string name, Func<IReadOnlyList<double>, double> func)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(func);
        Name = name;
        Func = func;
    }

    /// <summary>The name, used in output names (<c>stream.name</c>).</summary>
    public string Name { get; }

    /// <summary>The function from a group's values to the aggregated value.</summary>
    public Func<IReadOnlyList<double>, double> Func { get; }

    /// <summary>The sum of the values. Named <c>sum</c>.</summary>
    public static MAgg Sum { get; } = new("sum", Statistics.Sum);

    /// <summary>The arithmetic mean. Named <c>mean</c>.</summary>
    public static MAgg Mean { get; } = new("mean", Statistics.Mean);

    /// <summary>The smallest value. Named <c>min</c>.</summary>
    public static MAgg Min { get; } = new("min", Statistics.Min);

    /// <summary>The largest value. Named <c>max</c>.</summary>
    public static MAgg Max { get; } = new("max", Statistics.Max);

    /// <summary>The number of values. Named <c>count</c>.</summary>
    public static MAgg Count { get; } = new("count", values => values.Count);

    /// <summary>The sample standard deviation (n − 1); NaN for fewer than 2 values. Named <c>stdev</c>.</summary>
    public static MAgg StdDev { get; } = new("stdev", values => Math.Sqrt(Statistics.SampleVariance(values)));

    /// <summary>The sample variance (n − 1); NaN for fewer than 2 values. Named <c>variance</c>.</summary>
    public static MAgg Variance { get; } = new("variance", Statistics.SampleVariance);

    /// <summary>The exact median (the mean of the two middle values for an even count). Named <c>median</c>.</summary>
    public static MAgg Median { get; } = new("median", values => Statistics.Percentile(values, 50));

    /// <summary>The first value to arrive. Named <c>first</c>.</summary>
    public static MAgg First { get; } = new("first", values => values[0]);

    /// <summary>The last value to arrive. Named <c>last</c>.</summary>
    public static MAgg Last { get; } = new("last", values => values[^1]);

    /// <summary>
    /// The exact <paramref name="p"/>-th percentile, by linear interpolation between closest ranks
    /// (the "inclusive" method: rank <c>(n − 1) · p / 100</c>). Named <c>p</c> followed by
    /// <paramref name="p"/> in the invariant culture: <c>p99</c>, <c>p99.9</c>, <c>p50</c>.
    /// </summary>
    /// <param name="p">The percentile, in [0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 100] or NaN.</exception>
    public static MAgg Percentile(double p)
    {
        if (!(p is >= 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A percentile must be between 0 and 100.");
        }

        return new MAgg("p" + p.ToString(CultureInfo.InvariantCulture), values => Statistics.Percentile(values, p));
    }

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
