using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks;

public sealed class MSinkTSDBTests
{
    [Fact]
    public void Sends_name_value_and_tags_to_the_client()
    {
        var client = new RecordingTsdbClient();
        var sink = new MSinkTSDB(client);

        sink.Emit(new MElement("wc.sum", 42, Tags.Of(("host", "a"), ("section", "x"))));

        client.Points.Should().ContainSingle().Which.Should().Be(("wc.sum", 42.0, "host:a|section:x"));
    }

    [Fact]
    public void Gives_the_client_empty_tags_not_null_for_an_untagged_element()
    {
        var client = new RecordingTsdbClient();

        new MSinkTSDB(client).Emit(new MElement("wc.mean", 1.5));

        client.Points.Should().ContainSingle().Which.Should().Be(("wc.mean", 1.5, ""));
    }

    [Fact]
    public void Needs_a_client()
    {
        FluentActions.Invoking(() => new MSinkTSDB(null!)).Should().Throw<ArgumentNullException>().WithParameterName("client");
    }

    private sealed class RecordingTsdbClient : ITsdbClient
    {
        public List<(string Metric, double Value, string Tags)> Points { get; } = [];

        public void Send(string metric, double value, IReadOnlyDictionary<string, string> tags) =>
            Points.Add((metric, value, string.Join('|', tags.Select(t => $"{t.Key}:{t.Value}"))));
    }
}
