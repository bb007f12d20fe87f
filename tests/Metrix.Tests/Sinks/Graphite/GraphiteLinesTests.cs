namespace Metrix.Tests.Sinks.Graphite;

/// <summary>Graphite's plaintext lines with tags, exact to the byte (no server).</summary>
public sealed class GraphiteLinesTests
{
    [Fact]
    public void A_line_is_the_name_with_sorted_tags_the_value_and_seconds()
    {
        var series = GraphiteLines.Series("wc.mean", new Dictionary<string, string> { ["section"] = "news", ["host"] = "a" });

        GraphiteLines.Line(series, 170.2, 1_767_225_600).Should().Be("wc.mean;host=a;section=news 170.2 1767225600\n");
    }

    [Theory]
    [InlineData("my metric", "k", "v", "my_metric;k=v")]
    [InlineData("m;x", "k", "v", "m_x;k=v")]
    [InlineData("m", "a=b!c^d;e f", "v", "m;a_b_c_d_e_f=v")]
    [InlineData("m", "k", "a b;c=d!e", "m;k=a_b_c=d!e")]
    [InlineData("m", "k", "~tilde", "m;k=_tilde")]
    [InlineData("m", "k", "in~side ✓", "m;k=in~side_✓")]
    [InlineData("m", "k", "", "m")]
    public void What_Graphite_cannot_carry_becomes_an_underscore(string name, string key, string value, string expected)
    {
        GraphiteLines.Series(name, new Dictionary<string, string> { [key] = value }).Should().Be(expected);
    }
}
