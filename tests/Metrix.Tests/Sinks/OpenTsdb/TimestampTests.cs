using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks.OpenTsdb;

/// <summary>Aggregated elements carry the time their batch or window closed, and sinks pass it on.</summary>
public sealed class TimestampTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void Aggregates_carry_the_close_time_of_their_window_or_batch_not_their_delivery_time()
    {
        var sink = new CollectingSink(_time.Clock);
        using var mc = new MCoordinator
        {
            MStreams =
            {
                new MStream("w") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromSeconds(1) },
                new MStream("b") { Agg = { MAgg.Sum }, BatchSize = 2 },
            },
            MSinks = { sink },
            RateLimit = TimeSpan.FromSeconds(5),
            Scheduler = _time.Clock,
        };

        mc.Send("w", 1);
        _time.AdvanceToSeconds(2.5);
        mc.Send("b", 1);
        mc.Send("b", 2);
        _time.AdvanceToSeconds(30);

        sink.Elements.Select(e => e.Timestamp!.Value.SecondsSinceStart()).Should().Equal(1, 1, 2.5);
        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(1, 6, 11);
    }

    [Fact]
    public void Timestamp_is_not_part_of_equality()
    {
        var a = new MElement("n", 1) { Timestamp = VirtualTime.Start };
        var b = new MElement("n", 1) { Timestamp = VirtualTime.Start.AddHours(1) };

        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        new MElement("n", 1).Timestamp.Should().BeNull();
    }

    [Fact]
    public void MSinkTSDB_passes_the_timestamp_when_the_element_has_one()
    {
        var client = new TimestampRecordingClient();
        var sink = new MSinkTSDB(client);

        sink.Emit(new MElement("n", 1) { Timestamp = VirtualTime.Start });
        sink.Emit(new MElement("n", 2));

        client.Calls.Should().Equal(("n", 1.0, (DateTimeOffset?)VirtualTime.Start), ("n", 2.0, (DateTimeOffset?)null));
    }

    [Fact]
    public void A_client_with_only_the_three_argument_send_still_receives_timestamped_points()
    {
        ITsdbClient client = new ThreeArgumentClient();

        client.Send("n", 1, new Dictionary<string, string>(), VirtualTime.Start);

        ((ThreeArgumentClient)client).Received.Should().Equal("n");
    }

    private sealed class TimestampRecordingClient : ITsdbClient
    {
        public List<(string Metric, double Value, DateTimeOffset? At)> Calls { get; } = [];

        public void Send(string metric, double value, IReadOnlyDictionary<string, string> tags) => Calls.Add((metric, value, null));

        public void Send(string metric, double value, IReadOnlyDictionary<string, string> tags, DateTimeOffset timestamp) =>
            Calls.Add((metric, value, timestamp));
    }

    private sealed class ThreeArgumentClient : ITsdbClient
    {
        public List<string> Received { get; } = [];

        public void Send(string metric, double value, IReadOnlyDictionary<string, string> tags) => Received.Add(metric);
    }
}
