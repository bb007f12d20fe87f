using System.Globalization;
using System.Reactive.Concurrency;
using Metrix.Tests.Support;

namespace Metrix.Tests.Delivery;

/// <summary>Dispose and DisposeAsync: flush, deliver (virtual time at once, real time bounded), refuse sends afterwards, idempotent.</summary>
public sealed class DisposeTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    private static MStream Summed(string name, int batchSize = 1) => new(name) { Agg = { MAgg.Sum }, BatchSize = batchSize };

    [Fact]
    public void Send_after_dispose_throws_ObjectDisposedException()
    {
        var mc = _time.Coordinator(new CollectingSink(), Summed("n"));
        mc.Dispose();

        FluentActions.Invoking(() => mc.Send("n", 1)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => mc.Flush()).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => mc.Timer("n")).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => mc.AddMStream(Summed("m"))).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => mc.AddMSink(new CollectingSink())).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Dispose_flushes_open_batches_and_is_idempotent()
    {
        var sink = new CollectingSink();
        var mc = _time.Coordinator(sink, Summed("n", batchSize: 100));
        mc.Send("n", 1);
        mc.Send("n", 2);

        mc.Dispose();
        mc.Dispose();

        sink.Elements.Should().Equal(new MElement("n.sum", 3));
        mc.Statistics.Delivered.Should().Be(1);
    }

    [Fact]
    public async Task DisposeAsync_flushes_and_delivers_under_virtual_time_without_waiting()
    {
        var sink = new CollectingSink(_time.Clock);
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromHours(1) } },
            MSinks = { { sink, TimeSpan.FromMinutes(10) } },
            Scheduler = _time.Clock,
        };
        mc.Send("n", 4);

        await mc.DisposeAsync();

        sink.Elements.Should().Equal(new MElement("n.sum", 4), new MElement("n.count", 1));
        sink.Times.Select(t => t.SecondsSinceStart()).Should().Equal(0, 600);
    }

    [Fact]
    public async Task DisposeAsync_in_real_time_delivers_everything_pending()
    {
        var sink = new CollectingSink();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromHours(1) } },
            MSinks = { { sink, TimeSpan.FromMilliseconds(20) } },
        };
        for (var i = 0; i < 3; i++)
        {
            mc.Send("n", i, Tags.Of(("i", i.ToString(CultureInfo.InvariantCulture))));
        }

        await mc.DisposeAsync();

        sink.Elements.Select(e => e.Value).Should().Equal(0, 1, 2);
        mc.Statistics.Dropped.Should().Be(0);
    }
}
