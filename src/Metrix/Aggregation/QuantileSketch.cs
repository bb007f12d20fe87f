namespace Metrix.Aggregation;

/// <summary>
/// A DDSketch-style quantile sketch: values fall into logarithmic buckets
/// <c>(γ^(i−1), γ^i]</c> with <c>γ = (1 + α) / (1 − α)</c>, and a bucket answers for its values
/// with <c>2γ^i / (γ + 1)</c>, which is within relative error α of every value in it.
/// </summary>
/// <remarks>
/// <para>The guarantee: <see cref="Quantile"/> returns a value within α·|x| of x, the value of rank
/// ⌊q·(n − 1)⌋ (0-based) among the values added, for values whose magnitude is at least
/// <see cref="MinMagnitude"/> (smaller ones count as zero, returned as 0).</para>
/// <para>Memory is one counter per bucket in the range of values seen (see <see cref="BucketCounts"/>):
/// at α = 1 % values spanning six orders of magnitude span about 700 buckets. At most
/// <see cref="MaxBuckets"/> buckets are kept per sign; beyond that the buckets nearest zero merge,
/// which affects only the lowest quantiles.</para>
/// </remarks>
internal sealed class QuantileSketch
{
    public const int MaxBuckets = BucketCounts.MaxBuckets;
    public const double MinMagnitude = 1e-9;

    private readonly double _gamma;
    private readonly double _logGamma;
    private readonly BucketCounts _positive = new();
    private readonly BucketCounts _negative = new();
    private long _zeros;

    public QuantileSketch(double relativeError)
    {
        RelativeError = relativeError;
        _gamma = (1 + relativeError) / (1 - relativeError);
        _logGamma = Math.Log(_gamma);
    }

    public double RelativeError { get; }

    public long Count { get; private set; }

    /// <summary>The occupied buckets: the sketch's memory, one counter each.</summary>
    public int BucketCount => _positive.Count + _negative.Count;

    public void Add(double value)
    {
        if (value >= MinMagnitude)
        {
            _positive.Add(BucketOf(value), 1);
        }
        else if (value <= -MinMagnitude)
        {
            _negative.Add(BucketOf(-value), 1);
        }
        else
        {
            _zeros++;
        }

        Count++;
    }

    /// <summary>The estimate of the value of rank ⌊q·(n − 1)⌋; q in [0, 1]. At least one value must have been added.</summary>
    public double Quantile(double q)
    {
        var rank = (long)Math.Floor(q * (Count - 1));

        // Ascending value order: the most negative first, then zeros, then positives.
        var seen = 0L;
        for (var bucket = _negative.Max; _negative.Count > 0 && bucket >= _negative.Min; bucket--)
        {
            seen += _negative[bucket];
            if (seen > rank)
            {
                return -ValueOf(bucket);
            }
        }

        seen += _zeros;
        if (seen > rank)
        {
            return 0;
        }

        for (var bucket = _positive.Min; _positive.Count > 0 && bucket <= _positive.Max; bucket++)
        {
            seen += _positive[bucket];
            if (seen > rank)
            {
                return ValueOf(bucket);
            }
        }

        throw new InvalidOperationException("A quantile of an empty sketch was asked for.");
    }

    /// <summary>Adds another sketch's counts (same relative error) to this one.</summary>
    public void Merge(QuantileSketch other)
    {
        _positive.Add(other._positive);
        _negative.Add(other._negative);
        _zeros += other._zeros;
        Count += other.Count;
    }

    /// <summary>The sketch of a list of values: what the incremental path builds value by value.</summary>
    public static QuantileSketch Of(IReadOnlyList<double> values, double relativeError)
    {
        var sketch = new QuantileSketch(relativeError);
        for (var i = 0; i < values.Count; i++)
        {
            sketch.Add(values[i]);
        }

        return sketch;
    }

    private int BucketOf(double magnitude) => (int)Math.Ceiling(Math.Log(magnitude) / _logGamma);

    private double ValueOf(int bucket) => 2 * Math.Pow(_gamma, bucket) / (_gamma + 1);
}
