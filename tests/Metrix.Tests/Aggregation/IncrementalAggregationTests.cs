using Metrix.Tests.Support;

namespace Metrix.Tests.Aggregation;

/// <summary>
/// The pipeline folds values into per-group state as they arrive; the results must be exactly those
/// of buffering the raw values and applying each aggregation's function to them.
/// </summary>
public sealed class IncrementalAggregationTests
{
    public static TheoryData<string> Distributions => ["uniform", "large-offset", "mixed-sign", "constant", "single"];

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Incremental_results_are_bit_identical_to_buffering_the_raw_values(string distribution)
    {
        MAgg[] aggs =
        [
            MAgg.Sum, MAgg.Mean, MAgg.Min, MAgg.Max, MAgg.Count, MAgg.StdDev, MAgg.Variance, MAgg.First, MAgg.Last,
            MAgg.Median, MAgg.Percentile(90), MAgg.Percentile(99, 0.01), new MAgg("range", v => v.Max() - v.Min()),
        ];
        var stream = new MStream("x") { WindowSize = TimeSpan.FromSeconds(1) };
        foreach (var agg in aggs)
        {
            stream.Agg.Add(agg);
        }

        var time = new HistoricalSchedulerFixture();
        var sink = new CollectingSink();
        using var mc = time.Coordinator(sink, stream);
        var sent = new Dictionary<string, List<double>>();
        var random = new Random(42);
        var count = distribution == "single" ? 1 : 5_000;
        for (var i = 0; i < count; i++)
        {
            var group = $"g{random.Next(3)}";
            var value = Draw(distribution, random);
            (sent.TryGetValue(group, out var values) ? values : sent[group] = []).Add(value);
            mc.Send("x", value, Tags.Of(("g", group)));
        }

        time.AdvanceToSeconds(1);

        sink.Elements.Should().HaveCount(aggs.Length * sent.Count);
        foreach (var element in sink.Elements)
        {
            var agg = aggs.Single(a => "x." + a.Name == element.Name);
            var buffered = agg.Func(sent[element.Tags!["g"]]);
            element.Value.Should().Be(buffered, $"{element.Name} for {element.Key} over {distribution} values");
        }
    }

    private static double Draw(string distribution, Random random) => distribution switch
    {
        "uniform" => random.NextDouble() * 100,
        "large-offset" => 1e9 + random.Next(1000),
        "mixed-sign" => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 6)),
        _ => 7.25,
    };
}
