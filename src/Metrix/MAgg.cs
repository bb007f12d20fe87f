using System.Globalization;
using Metrix.Aggregation;

namespace Metrix;

/// <summary>
/// An aggregation: a name and a function from one group's values (in the order they were sent) to one value.
/// </summary>
/// <remarks>
/// Built-ins cover the usual statistics; <see cref="MAgg(string, Func{IReadOnlyList{double}, double})"/>
/// wraps any other function. What a stream keeps per group depends on its aggregations: the
/// decomposable built-ins (sum, mean, min, max, count, stdev, variance, first, last) share O(1)
/// state folded as values arrive; <see cref="Percentile(double, double)"/> keeps a bounded sketch;
/// exact percentiles, the median and custom functions keep every value (8 bytes each). A function is called with at least one value, never concurrently
/// for the same stream, and never on the thread that called <see cref="MCoordinator.Send(string, double, IReadOnlyDictionary{string, string})"/>
/// unless a batch by count closes on that call. If it throws, the coordinator logs and counts the
/// failure and skips that one output; the other aggregations and groups carry on.
/// </remarks>
public sealed class MAgg
{
    /// <summary>Creates a custom aggregation.</summary>
    /// <param name="name">The name, used in output names (<c>stream.name</c>); not null or empty.</param>
    /// <param name="func">The function; it receives the group's values in the order they were sent
    /// (a send that returned before another began comes first, whatever their threads), read-only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="func"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public MAgg(string name, Func<IReadOnlyList<double>, double> func)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(func);
        Name = name;
        Func = func;
        Kind = AggregationKind.Values;
        ExposesOrder = true;
    }

    /// <summary>A built-in that needs every value but not their order (the median, exact percentiles).</summary>
    private MAgg(string name, Func<IReadOnlyList<double>, double> func, bool exposesOrder)
        : this(name, func) => ExposesOrder = exposesOrder;

    /// <summary>A decomposable built-in: computed from the O(1) <see cref="Moments"/> of a group.</summary>
    private MAgg(string name, Func<Moments, double> fromMoments, bool needsVariance = false, bool needsExtremes = false, bool exposesOrder = false)
        : this(name, values => fromMoments(Moments.Of(values)))
    {
        Kind = AggregationKind.Moments;
        FromMoments = fromMoments;
        NeedsVariance = needsVariance;
        NeedsExtremes = needsExtremes;
        ExposesOrder = exposesOrder;
    }

    /// <summary>A sketched percentile: computed from a bounded <see cref="QuantileSketch"/> of a group.</summary>
    private MAgg(string name, double percentile, double relativeError)
        : this(name, values => QuantileSketch.Of(values, relativeError).Quantile(percentile / 100))
    {
        Kind = AggregationKind.Sketch;
        ExposesOrder = false;
        SketchPercentile = percentile;
        SketchRelativeError = relativeError;
    }

    /// <summary>What state this aggregation needs per group.</summary>
    internal AggregationKind Kind { get; }

    /// <summary>For <see cref="AggregationKind.Moments"/>: the result from a group's moments.</summary>
    internal Func<Moments, double>? FromMoments { get; }

    /// <summary>
    /// Whether the result depends on the order of the values beyond the first (the last value, or
    /// any custom function, which receives them in order).
    /// </summary>
    internal bool ExposesOrder { get; }

    /// <summary>For <see cref="AggregationKind.Moments"/>: whether the moments must track variance.</summary>
    internal bool NeedsVariance { get; }

    /// <summary>For <see cref="AggregationKind.Moments"/>: whether the moments must track the minimum and maximum.</summary>
    internal bool NeedsExtremes { get; }

    /// <summary>For <see cref="AggregationKind.Sketch"/>: the percentile, in [0, 100].</summary>
    internal double SketchPercentile { get; }

    /// <summary>For <see cref="AggregationKind.Sketch"/>: the sketch's relative error.</summary>
    internal double SketchRelativeError { get; }

    /// <summary>The name, used in output names (<c>stream.name</c>).</summary>
    public string Name { get; }

    /// <summary>The function from a group's values to the aggregated value.</summary>
    public Func<IReadOnlyList<double>, double> Func { get; }

    /// <summary>The sum of the values. Named <c>sum</c>.</summary>
    public static MAgg Sum { get; } = new("sum", (Moments m) => m.Sum);

    /// <summary>The arithmetic mean. Named <c>mean</c>.</summary>
    public static MAgg Mean { get; } = new("mean", (Moments m) => m.Mean);

    /// <summary>The smallest value. Named <c>min</c>.</summary>
    public static MAgg Min { get; } = new("min", (Moments m) => m.Min, needsExtremes: true);

    /// <summary>The largest value. Named <c>max</c>.</summary>
    public static MAgg Max { get; } = new("max", (Moments m) => m.Max, needsExtremes: true);

    /// <summary>The number of values. Named <c>count</c>.</summary>
    public static MAgg Count { get; } = new("count", (Moments m) => m.Count);

    /// <summary>The sample standard deviation (n − 1); NaN for fewer than 2 values. Named <c>stdev</c>.</summary>
    public static MAgg StdDev { get; } = new("stdev", (Moments m) => Math.Sqrt(m.SampleVariance), needsVariance: true);

    /// <summary>The sample variance (n − 1); NaN for fewer than 2 values. Named <c>variance</c>.</summary>
    public static MAgg Variance { get; } = new("variance", (Moments m) => m.SampleVariance, needsVariance: true);

    /// <summary>The exact median (the mean of the two middle values for an even count). Named <c>median</c>.</summary>
    public static MAgg Median { get; } = new("median", values => Statistics.Percentile(values, 50), exposesOrder: false);

    /// <summary>The first value to arrive. Named <c>first</c>.</summary>
    public static MAgg First { get; } = new("first", (Moments m) => m.First);

    /// <summary>The last value to arrive. Named <c>last</c>.</summary>
    public static MAgg Last { get; } = new("last", (Moments m) => m.Last, exposesOrder: true);

    /// <summary>
    /// The exact <paramref name="p"/>-th percentile, by linear interpolation between closest ranks
    /// (the "inclusive" method: rank <c>(n − 1) · p / 100</c>). Named <c>p</c> followed by
    /// <paramref name="p"/> in the invariant culture: <c>p99</c>, <c>p99.9</c>, <c>p50</c>.
    /// </summary>
    /// <param name="p">The percentile, in [0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 100] or NaN.</exception>
    public static MAgg Percentile(double p)
    {
        ThrowIfNotPercentile(p);
        return new MAgg(PercentileName(p), values => Statistics.Percentile(values, p), exposesOrder: false);
    }

    /// <summary>
    /// The <paramref name="p"/>-th percentile estimated in bounded memory: a DDSketch-style sketch per
    /// group whose answer is within <paramref name="relativeError"/> × |x| of x, the value of rank
    /// ⌊(n − 1) · p / 100⌋ among the group's values (for |x| ≥ 1e-9; smaller values count as 0).
    /// Memory is one counter per occupied logarithmic bucket (about 700 for values spanning six
    /// orders of magnitude at 1 %), whatever the number of values. Named like
    /// <see cref="Percentile(double)"/>: <c>p99</c>.
    /// </summary>
    /// <param name="p">The percentile, in [0, 100].</param>
    /// <param name="relativeError">The relative error bound, in (0, 1); 0.01 is a common choice.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 100], or
    /// <paramref name="relativeError"/> is outside (0, 1).</exception>
    public static MAgg Percentile(double p, double relativeError)
    {
        ThrowIfNotPercentile(p);
        if (!(relativeError is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeError), relativeError, "A relative error must be between 0 and 1, exclusive (e.g. 0.01).");
        }

        return new MAgg(PercentileName(p), p, relativeError);
    }

    /// <summary>The name.</summary>
    public override string ToString() => Name;

    private static string PercentileName(double p) => "p" + p.ToString(CultureInfo.InvariantCulture);

    private static void ThrowIfNotPercentile(double p)
    {
        if (!(p is >= 0 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A percentile must be between 0 and 100.");
        }
    }
}
