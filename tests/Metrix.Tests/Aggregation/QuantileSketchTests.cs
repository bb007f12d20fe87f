using Metrix.Aggregation;

namespace Metrix.Tests.Aggregation;

/// <summary>The bounded-memory percentile: within the relative error of the exact rank value, in bounded memory.</summary>
public sealed class QuantileSketchTests
{
    public static TheoryData<string, double> Cases
    {
        get
        {
            var data = new TheoryData<string, double>();
            foreach (var distribution in new[] { "uniform", "lognormal", "mixed-sign", "latency-like" })
            {
                foreach (var alpha in new[] { 0.01, 0.05 })
                {
                    data.Add(distribution, alpha);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_percentile_is_within_the_relative_error_of_the_exact_rank_value(string distribution, double alpha)
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 20_000).Select(_ => Draw(distribution, random)).ToList();
        var sorted = values.Order().ToArray();

        foreach (var p in new[] { 0, 1, 10, 25, 50, 75, 90, 99, 99.9, 100 })
        {
            var estimate = MAgg.Percentile(p, alpha).Func(values);
            var exact = sorted[(int)Math.Floor((sorted.Length - 1) * p / 100)];

            Math.Abs(estimate - exact).Should().BeLessThanOrEqualTo(
                (alpha * Math.Abs(exact)) + 1e-12, $"p{p} of {distribution} values at α = {alpha}: exact {exact}, estimate {estimate}");
        }
    }

    [Fact]
    public void Memory_is_bounded_by_occupied_buckets_not_by_values()
    {
        var sketch = new QuantileSketch(0.01);
        var random = new Random(3);

        for (var i = 0; i < 1_000_000; i++)
        {
            sketch.Add(Math.Exp(random.NextDouble() * Math.Log(1e6)));
        }

        // Six orders of magnitude at 1 %: ln(1e6) / ln(1.0202) ≈ 691 buckets, each one counter.
        sketch.BucketCount.Should().BeLessThanOrEqualTo(700);
        sketch.Count.Should().Be(1_000_000);
    }

    [Fact]
    public void Beyond_its_bucket_limit_it_merges_the_buckets_nearest_zero_and_keeps_the_high_quantiles()
    {
        // 69 orders of magnitude at 1 % would need about 7,900 buckets.
        var sketch = new QuantileSketch(0.01);
        var largest = 0.0;
        for (var step = 0; step <= 13_800; step++)
        {
            largest = Math.Pow(10, -9 + (step * 0.005));
            sketch.Add(largest);
        }

        sketch.BucketCount.Should().BeLessThanOrEqualTo(QuantileSketch.MaxBuckets);
        sketch.Quantile(1).Should().BeApproximately(largest, 0.01 * largest);
        sketch.Quantile(0.5).Should().BeApproximately(Math.Pow(10, 25.5), 0.01 * Math.Pow(10, 25.5), "the median lies in buckets that were never merged");
    }

    [Fact]
    public void Tiny_magnitudes_count_as_zero()
    {
        MAgg.Percentile(50, 0.01).Func([-1e-12, 0, 1e-12]).Should().Be(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_relative_error_outside_0_to_1_is_rejected(double alpha)
    {
        FluentActions.Invoking(() => MAgg.Percentile(99, alpha))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("relativeError");
    }

    [Fact]
    public void A_sketched_percentile_is_named_like_the_exact_one()
    {
        MAgg.Percentile(99.9, 0.01).Name.Should().Be("p99.9");
        FluentActions.Invoking(() => MAgg.Percentile(101, 0.01)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("p");
    }

    private static double Draw(string distribution, Random random) => distribution switch
    {
        "uniform" => random.NextDouble() * 1000,
        "lognormal" => Math.Exp(Normal(random) * 2),
        "mixed-sign" => Normal(random) * 100,
        _ => 5 + Math.Exp(Normal(random)) * 20,
    };

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
