using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks.OpenTsdb;

/// <summary>What the client checks and how it formats, without a server.</summary>
public sealed class OpenTsdbClientTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_795_576_164);

    [Fact]
    public void Put_lines_hold_metric_seconds_shortest_value_and_sorted_tags()
    {
        var line = TelnetTransport.Format([new OpenTsdbPoint("wc.mean", 170.2, [new("host", "a"), new("section", "x")], 1_795_576_164)]);

        line.Should().Be("put wc.mean 1795576164 170.2 host=a section=x\n");
    }

    [Fact]
    public void Http_batches_are_OpenTSDB_api_put_json()
    {
        var json = System.Text.Encoding.UTF8.GetString(HttpTransport.Serialize([new OpenTsdbPoint("wc.sum", 3, [new("host", "a")], 1_795_576_164_250)]));

        json.Should().Be("""[{"metric":"wc.sum","timestamp":1795576164250,"value":3,"tags":{"host":"a"}}]""");
    }

    [Theory]
    [InlineData("wc.mean", "wc.mean")]
    [InlineData("a b", "a_b")]
    [InlineData("p|q:r=s\"t", "p_q_r_s_t")]
    [InlineData("route/home-page_1", "route/home-page_1")]
    [InlineData("zürich", "zürich")]
    public void Names_keep_OpenTSDB_characters_and_replace_the_rest(string name, string expected)
    {
        OpenTsdbNames.Sanitize(name).Should().Be(expected);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_values_are_skipped_counted_and_logged_once_per_series(double value)
    {
        var logger = new CollectingLogger();
        using var client = new OpenTsdbClient { Port = 1, Logger = logger };

        client.Send("m", value, Tags.Of(("a", "b")), At);
        client.Send("m", value, Tags.Of(("a", "b")), At.AddSeconds(1));
        client.Send("m", value, Tags.Of(("a", "c")), At);

        client.Statistics.Dropped.Should().Be(3);
        client.Statistics.Written.Should().Be(0);
        logger.Entries.Should().HaveCount(2, "one entry per series").And.OnlyContain(e => e.Message.Contains("'m'", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_metric_tags_and_timestamps_are_rejected_at_send()
    {
        using var client = new OpenTsdbClient { Port = 1 };

        FluentActions.Invoking(() => client.Send("", 1, Tags.Of(), At)).Should().Throw<ArgumentException>().WithParameterName("metric");
        FluentActions.Invoking(() => client.Send("m", 1, null!, At)).Should().Throw<ArgumentNullException>().WithParameterName("tags");
        FluentActions.Invoking(() => client.Send("m", 1, Tags.Of(("", "v")), At)).Should().Throw<ArgumentException>().WithParameterName("tags");
        FluentActions.Invoking(() => client.Send("m", 1, Tags.Of(), DateTimeOffset.UnixEpoch.AddSeconds(-1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("timestamp");
    }

    [Fact]
    public void Options_are_checked_when_configured()
    {
        FluentActions.Invoking(() => new OpenTsdbClient { Host = "" }).Should().Throw<ArgumentException>().WithParameterName("Host");
        FluentActions.Invoking(() => new OpenTsdbClient { Port = 0 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Port");
        FluentActions.Invoking(() => new OpenTsdbClient { Port = 65536 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Port");
        FluentActions.Invoking(() => new OpenTsdbClient { ConnectTimeout = TimeSpan.Zero }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ConnectTimeout");
        FluentActions.Invoking(() => new OpenTsdbClient { ReconnectDelay = TimeSpan.Zero }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ReconnectDelay");
        FluentActions.Invoking(() => new OpenTsdbClient { BufferCapacity = 0 }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("BufferCapacity");
        FluentActions.Invoking(() => new OpenTsdbClient { SendTimeout = TimeSpan.FromSeconds(-1) }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("SendTimeout");
    }

    [Fact]
    public void Fallback_tags_must_be_present_and_valid_OpenTSDB_names()
    {
        FluentActions.Invoking(() => new OpenTsdbClient { FallbackTags = Tags.Of() })
            .Should().Throw<ArgumentException>().WithParameterName("FallbackTags").WithMessage("*at least one tag*");
        FluentActions.Invoking(() => new OpenTsdbClient { FallbackTags = Tags.Of(("host", "my box")) })
            .Should().Throw<ArgumentException>().WithParameterName("FallbackTags").WithMessage("*'my box'*");
        FluentActions.Invoking(() => new OpenTsdbClient { FallbackTags = Tags.Of(("ho:st", "a")) })
            .Should().Throw<ArgumentException>().WithParameterName("FallbackTags").WithMessage("*'ho:st'*");
    }

    [Fact]
    public void The_default_fallback_tag_is_this_hosts_sanitized_name()
    {
        new OpenTsdbClient().FallbackTags.Should().Equal(Tags.Of(("host", OpenTsdbNames.Sanitize(Environment.MachineName))));
    }

    [Fact]
    public void Describes_protocol_and_endpoint()
    {
        new OpenTsdbClient { Host = "tsdb", Port = 4242 }.ToString().Should().Be("OpenTsdbClient(telnet://tsdb:4242)");
        new OpenTsdbClient { Protocol = OpenTsdbProtocol.Http }.ToString().Should().Be("OpenTsdbClient(http://localhost:4242)");
    }
}
