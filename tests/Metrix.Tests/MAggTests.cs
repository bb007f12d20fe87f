namespace Metrix.Tests;

public sealed class MAggTests
{
    private static readonly double[] Values = [4, 1, 3, 2];

    public static TheoryData<string, double> BuiltIns => new()
    {
        { "sum", 10 },
        { "mean", 2.5 },
        { "min", 1 },
        { "max", 4 },
        { "count", 4 },
        { "first", 4 },
        { "last", 2 },
        { "median", 2.5 },
        { "variance", 5.0 / 3 },
        { "stdev", Math.Sqrt(5.0 / 3) },
    };

    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void Built_in_aggregation_computes_its_statistic(string name, double expected)
    {
        var agg = BuiltIn(name);

        agg.Name.Should().Be(name);
        agg.Func(Values).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Median_of_an_odd_count_is_the_middle_value()
    {
        MAgg.Median.Func([5, 1, 9]).Should().Be(5);
    }

    [Fact]
    public void Variance_and_stdev_are_NaN_for_fewer_than_two_values()
    {
        MAgg.Variance.Func([3]).Should().Be(double.NaN);
        MAgg.StdDev.Func([3]).Should().Be(double.NaN);
    }

    [Fact]
    public void Variance_keeps_precision_for_large_offsets()
    {
        // A naive sum-of-squares formula loses every digit here.
        MAgg.Variance.Func([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]).Should().Be(30);
    }

    [Theory]
    [InlineData(99, "p99")]
    [InlineData(99.9, "p99.9")]
    [InlineData(50, "p50")]
    [InlineData(0, "p0")]
    [InlineData(100, "p100")]
    public void Percentile_is_named_p_and_the_invariant_number(double p, string expected)
    {
        MAgg.Percentile(p).Name.Should().Be(expected);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(100, 4)]
    [InlineData(50, 2.5)]
    [InlineData(25, 1.75)]
    [InlineData(90, 3.7)]
    public void Percentile_interpolates_linearly_between_closest_ranks(double p, double expected)
    {
        MAgg.Percentile(p).Func(Values).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Percentile_of_one_value_is_that_value()
    {
        MAgg.Percentile(99).Func([7]).Should().Be(7);
    }

    [Fact]
    public void Percentile_leaves_the_values_in_arrival_order()
    {
        var values = new List<double> { 3, 1, 2 };

        MAgg.Percentile(50).Func(values);

        values.Should().Equal(3, 1, 2);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(100.1)]
    [InlineData(double.NaN)]
    public void Percentile_outside_0_to_100_is_rejected(double percentile)
    {
        FluentActions.Invoking(() => MAgg.Percentile(percentile))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("p");
    }

    [Fact]
    public void Custom_aggregation_keeps_its_name_and_function()
    {
        var range = new MAgg("range", v => v.Max() - v.Min());

        range.Name.Should().Be("range");
        range.Func(Values).Should().Be(3);
        range.ToString().Should().Be("range");
    }

    [Fact]
    public void Custom_aggregation_needs_a_name_and_a_function()
    {
        FluentActions.Invoking(() => new MAgg(null!, v => 0)).Should().Throw<ArgumentNullException>().WithParameterName("name");
        FluentActions.Invoking(() => new MAgg("", v => 0)).Should().Throw<ArgumentException>().WithParameterName("name");
        FluentActions.Invoking(() => new MAgg("x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("func");
    }

    private static MAgg BuiltIn(string name) => name switch
    {
        "sum" => MAgg.Sum,
        "mean" => MAgg.Mean,
        "min" => MAgg.Min,
        "max" => MAgg.Max,
        "count" => MAgg.Count,
        "first" => MAgg.First,
        "last" => MAgg.Last,
        "median" => MAgg.Median,
        "variance" => MAgg.Variance,
        "stdev" => MAgg.StdDev,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
