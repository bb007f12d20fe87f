using Metrix.Tests.Support;

namespace Metrix.Tests;

public sealed class MStreamTests
{
    [Fact]
    public void Agg_accepts_a_plain_list()
    {
        var stream = new MStream("wc") { Agg = { MAgg.Sum, MAgg.Mean }, BatchSize = 1 };

        stream.Agg.Select(a => a.Key).Should().Equal("sum", "mean");
    }

    [Fact]
    public void Agg_accepts_named_entries()
    {
        var stream = new MStream("wc") { Agg = { ["avg"] = MAgg.Mean, ["total"] = MAgg.Sum }, BatchSize = 1 };

        stream.Agg.Select(a => a.Key).Should().Equal("avg", "total");
        stream.Agg["avg"].Should().BeSameAs(MAgg.Mean);
    }

    [Fact]
    public void Agg_accepts_plain_and_named_entries_mixed()
    {
        var stream = new MStream("wc") { Agg = { MAgg.Sum, { "avg", MAgg.Mean } }, BatchSize = 1 };

        stream.Agg.Select(a => a.Key).Should().Equal("sum", "avg");
    }

    [Fact]
    public void Agg_indexer_reports_an_unknown_name()
    {
        var stream = new MStream("wc") { Agg = { MAgg.Sum } };

        FluentActions.Invoking(() => stream.Agg["mean"]).Should().Throw<KeyNotFoundException>().WithMessage("*'wc'*'mean'*");
    }

    [Fact]
    public void Two_aggregations_with_the_same_output_name_are_rejected_naming_the_stream()
    {
        var stream = new MStream("wc") { Agg = { MAgg.Sum } };

        FluentActions.Invoking(() => stream.Agg.Add(MAgg.Sum))
            .Should().Throw<ArgumentException>().WithMessage("*'wc'*'sum'*");
        FluentActions.Invoking(() => stream.Agg["sum"] = MAgg.Mean)
            .Should().Throw<ArgumentException>().WithMessage("*'wc'*'sum'*");
        stream.Agg.Should().ContainSingle();
    }

    [Fact]
    public void A_null_aggregation_is_rejected()
    {
        var stream = new MStream("wc");

        FluentActions.Invoking(() => stream.Agg.Add(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => stream.Agg.Add("x", null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => stream.Agg.Add("", MAgg.Sum)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_stream_needs_a_name()
    {
        FluentActions.Invoking(() => new MStream(null!)).Should().Throw<ArgumentNullException>().WithParameterName("name");
        FluentActions.Invoking(() => new MStream("")).Should().Throw<ArgumentException>().WithMessage("*name*").WithParameterName("name");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void BatchSize_below_one_is_rejected_naming_the_stream(int size)
    {
        FluentActions.Invoking(() => new MStream("wc") { BatchSize = size })
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'wc'*BatchSize*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void WindowSize_of_zero_or_less_is_rejected_naming_the_stream(double seconds)
    {
        FluentActions.Invoking(() => new MStream("wc") { WindowSize = TimeSpan.FromSeconds(seconds) })
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'wc'*WindowSize*");
    }

    [Fact]
    public void Neither_size_is_rejected_when_the_stream_is_added()
    {
        using var mc = new MCoordinator();
        var stream = new MStream("wc") { Agg = { MAgg.Sum } };

        FluentActions.Invoking(() => mc.AddMStream(stream))
            .Should().Throw<ArgumentException>().WithMessage("*'wc'*WindowSize or a BatchSize*neither*");
        mc.MStreams.Should().BeEmpty();
    }

    [Fact]
    public void Both_sizes_are_rejected_when_the_stream_is_added()
    {
        using var mc = new MCoordinator();
        var stream = new MStream("wc") { Agg = { MAgg.Sum }, BatchSize = 5, WindowSize = TimeSpan.FromSeconds(1) };

        FluentActions.Invoking(() => mc.AddMStream(stream))
            .Should().Throw<ArgumentException>().WithMessage("*'wc'*not both*");
        mc.MStreams.Should().BeEmpty();
    }

    [Fact]
    public void No_aggregation_is_rejected_when_the_stream_is_added()
    {
        FluentActions.Invoking(() => new MCoordinator { MStreams = { new MStream("wc") { BatchSize = 5 } } })
            .Should().Throw<ArgumentException>().WithMessage("*'wc'*no aggregation*");
    }

    [Fact]
    public void A_stream_name_already_used_in_the_coordinator_is_rejected()
    {
        using var mc = new MCoordinator { MStreams = { new MStream("wc") { Agg = { MAgg.Sum }, BatchSize = 1 } } };
        var second = new MStream("wc") { Agg = { MAgg.Mean }, BatchSize = 1 };

        FluentActions.Invoking(() => mc.AddMStream(second))
            .Should().Throw<ArgumentException>().WithMessage("*'wc'*already*");
        mc.MStreams["wc"].Agg.Single().Key.Should().Be("sum");

        // Rejected, so still configurable.
        second.Agg.Add(MAgg.Max);
        second.Agg.Should().HaveCount(2);
    }

    [Fact]
    public void Invalid_default_tags_are_rejected()
    {
        FluentActions.Invoking(() => new MStream("wc") { DefaultTags = Tags.Of(("", "x")) })
            .Should().Throw<ArgumentException>().WithMessage("*tag key*").WithParameterName("DefaultTags");
        FluentActions.Invoking(() => new MStream("wc") { DefaultTags = new Dictionary<string, string> { ["k"] = null! } })
            .Should().Throw<ArgumentException>().WithParameterName("DefaultTags");
    }

    [Fact]
    public void Default_tags_are_copied_and_empty_means_none()
    {
        var tags = Tags.Of(("host", "a"));
        var stream = new MStream("wc") { DefaultTags = tags };
        tags["host"] = "b";

        stream.DefaultTags!["host"].Should().Be("a");
        new MStream("x") { DefaultTags = new Dictionary<string, string>() }.DefaultTags.Should().BeNull();
    }

    [Fact]
    public void Aggregations_are_frozen_once_the_stream_is_in_a_coordinator()
    {
        var stream = new MStream("wc") { Agg = { MAgg.Sum }, BatchSize = 1 };
        using var mc = new MCoordinator { MStreams = { stream } };

        FluentActions.Invoking(() => stream.Agg.Add(MAgg.Mean))
            .Should().Throw<InvalidOperationException>().WithMessage("*'wc'*in use*");
        stream.Agg.Should().ContainSingle();
    }

    [Fact]
    public void ToString_describes_name_batching_aggregations_and_tags()
    {
        new MStream("wc") { Agg = { MAgg.Sum, { "avg", MAgg.Mean } }, WindowSize = TimeSpan.FromSeconds(0.4) }
            .ToString().Should().Be("MStream('wc', window=0.4s, agg=[sum, avg])");
        new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 5, DefaultTags = Tags.Of(("section", "NA")) }
            .ToString().Should().Be("MStream('n', batch=5, agg=[sum], default_tags={'section': 'NA'})");
    }
}
