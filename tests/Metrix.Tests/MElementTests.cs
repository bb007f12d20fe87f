using System.Globalization;
using Metrix.Tests.Support;

namespace Metrix.Tests;

public sealed class MElementTests
{
    [Fact]
    public void Key_sorts_tags_by_key_whichever_order_they_were_given_in()
    {
        var forward = new MElement("n", 1, Tags.Of(("foo", "bar"), ("bat", "baz")));
        var backward = new MElement("n", 1, Tags.Of(("bat", "baz"), ("foo", "bar")));

        forward.Key.Should().Be("bat:baz|foo:bar");
        backward.Key.Should().Be("bat:baz|foo:bar");
    }

    [Fact]
    public void Key_is_null_without_tags_and_for_empty_tags()
    {
        new MElement("n", 1).Key.Should().BeNull();
        new MElement("n", 1, new Dictionary<string, string>()).Key.Should().BeNull();
    }

    [Fact]
    public void Key_orders_keys_ordinally_not_by_culture()
    {
        var element = new MElement("n", 1, Tags.Of(("b", "1"), ("B", "2"), ("a", "3")));

        element.Key.Should().Be("B:2|a:3|b:1");
    }

    [Fact]
    public void Empty_tags_are_no_tags()
    {
        var element = new MElement("n", 1, new Dictionary<string, string>());

        element.Tags.Should().BeNull();
        element.Should().Be(new MElement("n", 1));
    }

    [Fact]
    public void Equal_when_name_value_and_tag_set_match_in_any_order()
    {
        var a = new MElement("n", 1, Tags.Of(("foo", "bar"), ("bat", "baz")));
        var b = new MElement("n", 1.0, Tags.Of(("bat", "baz"), ("foo", "bar")));

        (a == b).Should().BeTrue();
        a.Equals(b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
    }

    [Fact]
    public void Integer_and_floating_values_are_equal()
    {
        (new MElement("n", 1) == new MElement("n", 1.0)).Should().BeTrue();
    }

    [Fact]
    public void Positive_and_negative_zero_are_equal_with_equal_hash_codes()
    {
        var positive = new MElement("n", 0.0);
        var negative = new MElement("n", -0.0);

        (positive == negative).Should().BeTrue();
        positive.GetHashCode().Should().Be(negative.GetHashCode());
    }

    [Theory]
    [InlineData("m", 1.0, "foo", "bar")]
    [InlineData("n", 2.0, "foo", "bar")]
    [InlineData("n", 1.0, "foo", "baz")]
    [InlineData("n", 1.0, "fox", "bar")]
    public void Differ_when_name_value_tag_key_or_tag_value_differs(string name, double value, string key, string tagValue)
    {
        var reference = new MElement("n", 1, Tags.Of(("foo", "bar")));
        var other = new MElement(name, value, Tags.Of((key, tagValue)));

        (reference != other).Should().BeTrue();
        reference.Equals(other).Should().BeFalse();
    }

    [Fact]
    public void Null_tags_equal_only_null_tags()
    {
        var untagged = new MElement("n", 1);
        var tagged = new MElement("n", 1, Tags.Of(("foo", "bar")));

        untagged.Should().NotBe(tagged);
        tagged.Should().NotBe(untagged);
        untagged.Should().Be(new MElement("n", 1, null));
    }

    [Fact]
    public void Equality_operators_handle_null()
    {
        MElement? none = null;
        var element = new MElement("n", 1);

        element.Equals(null).Should().BeFalse();
        (none == null).Should().BeTrue();
        (element == null).Should().BeFalse();
        (null == element).Should().BeFalse();
    }

    [Fact]
    public void Tag_values_containing_separators_do_not_collide()
    {
        // Both keys read "a:b|c:d", but the tag sets differ.
        var one = new MElement("n", 1, Tags.Of(("a", "b|c:d")));
        var two = new MElement("n", 1, Tags.Of(("a", "b"), ("c", "d")));

        one.Key.Should().Be(two.Key);
        one.Should().NotBe(two);
    }

    [Fact]
    public void Tags_are_copied_so_later_changes_to_the_dictionary_do_not_leak_in()
    {
        var tags = Tags.Of(("foo", "bar"));
        var element = new MElement("n", 1, tags);

        tags["foo"] = "changed";

        element.Tags!["foo"].Should().Be("bar");
    }

    [Fact]
    public void ToString_without_tags_is_the_seed_format()
    {
        new MElement("wc.mean", 170.2).ToString().Should().Be("MElement(name='wc.mean', value=170.2, tags=None)");
    }

    [Fact]
    public void ToString_with_tags_sorts_them_by_key()
    {
        var element = new MElement("n.sum", 3, Tags.Of(("foo", "bar"), ("bat", "baz")));

        element.ToString().Should().Be("MElement(name='n.sum', value=3, tags={'bat': 'baz', 'foo': 'bar'})");
    }

    [Theory]
    [InlineData(625.0, "625")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-06, "1e-06")]
    [InlineData(1.5e-07, "1.5e-07")]
    [InlineData(-2.5e-05, "-2.5e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(123456789012345.6, "123456789012345.6")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.2345e300, "1.2345e+300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void ToString_writes_the_shortest_round_trip_number_as_python_does(double value, string expected)
    {
        new MElement("x", value).ToString().Should().Be($"MElement(name='x', value={expected}, tags=None)");
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData("it's \"both\"", "'it\\'s \"both\"'")]
    [InlineData("back\\slash", "'back\\\\slash'")]
    [InlineData("line\nbreak\ttab", "'line\\nbreak\\ttab'")]
    [InlineData("bell\u0007", "'bell\\x07'")]
    [InlineData("café ✓", "'café ✓'")]
    public void ToString_quotes_names_and_tags_as_python_s_repr(string text, string quoted)
    {
        new MElement(text, 1, Tags.Of((text, text))).ToString()
            .Should().Be($"MElement(name={quoted}, value=1, tags={{{quoted}: {quoted}}})");
    }

    [Fact]
    public void ToString_uses_the_invariant_culture_whatever_the_current_one()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            new MElement("x", 170.2).ToString().Should().Contain("value=170.2,");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Constructor_rejects_a_missing_name()
    {
        FluentActions.Invoking(() => new MElement(null!, 1)).Should().Throw<ArgumentNullException>().WithParameterName("name");
        FluentActions.Invoking(() => new MElement("", 1)).Should().Throw<ArgumentException>().WithParameterName("name");
    }

    [Fact]
    public void Constructor_rejects_empty_tag_keys_and_null_tag_values()
    {
        FluentActions.Invoking(() => new MElement("n", 1, Tags.Of(("", "v"))))
            .Should().Throw<ArgumentException>().WithMessage("*tag key*").WithParameterName("tags");
        FluentActions.Invoking(() => new MElement("n", 1, new Dictionary<string, string> { ["k"] = null! }))
            .Should().Throw<ArgumentException>().WithMessage("*'k'*null*").WithParameterName("tags");
    }
}
