namespace Metrix.Tests.Sinks.InfluxDb;

/// <summary>The line protocol encoding, exact to the byte (no server).</summary>
public sealed class InfluxLineProtocolTests
{
    [Fact]
    public void A_point_is_measurement_sorted_tags_one_value_field_and_milliseconds()
    {
        var (line, series) = InfluxLineProtocol.Encode("wc.mean", 170.2, new Dictionary<string, string> { ["section"] = "news", ["host"] = "a" }, 1_767_225_600_123);

        line.Should().Be("wc.mean,host=a,section=news value=170.2 1767225600123");
        series.Should().Be("wc.mean,host=a,section=news");
    }

    [Theory]
    [InlineData("m", "k", "a b", @"m,k=a\ b value=1 0")]
    [InlineData("m", "k", "a,b", @"m,k=a\,b value=1 0")]
    [InlineData("m", "k", "a=b", @"m,k=a\=b value=1 0")]
    [InlineData("m", "k=1", "v", @"m,k\=1=v value=1 0")]
    [InlineData("my metric,x", "k", "v", @"my\ metric\,x,k=v value=1 0")]
    [InlineData("m=1", "k", "v", "m=1,k=v value=1 0")]
    [InlineData("m", "k", "say \"hi\" ✓", "m,k=say\\ \"hi\"\\ ✓ value=1 0")]
    [InlineData("m", "k", "ends\\", "m,k=ends_ value=1 0")]
    [InlineData("m", "k", "two\nlines", @"m,k=two\ lines value=1 0")]
    [InlineData("m", "k", "", "m value=1 0")]
    public void Commas_spaces_and_equals_signs_are_escaped_and_what_cannot_be_carried_is_replaced(string name, string key, string value, string expected)
    {
        InfluxLineProtocol.Encode(name, 1, new Dictionary<string, string> { [key] = value }, 0).Line.Should().Be(expected);
    }
}
