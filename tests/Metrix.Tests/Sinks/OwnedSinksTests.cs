using Metrix.Tests.Support;

namespace Metrix.Tests.Sinks;

/// <summary>
/// The coordinator owns its sinks: after its final drain it disposes those that are disposable, in
/// the order they were added, each once, a sink that throws there is counted and logged, and the
/// others are disposed all the same. <see cref="MSinkTSDB"/> passes that on to its client when it owns it.
/// </summary>
public sealed class OwnedSinksTests
{
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void Dispose_disposes_sinks_in_the_order_added_after_each_received_its_last_element()
    {
        var events = new EventLog();
        var syncSink = new RecordingSink("sync", events);
        var asyncSink = new AsyncOnlyRecordingSink("async", events);
        var both = new BothRecordingSink("both", events);
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromHours(1) } },
            MSinks = { syncSink, { asyncSink, TimeSpan.FromSeconds(1) }, both },
            Scheduler = _time.Clock,
        };
        mc.Send("n", 5);

        mc.Dispose();
        mc.Dispose();

        // Each sink got its last element before any was disposed (lanes deliver in parallel).
        events.Items.Take(3).Should().BeEquivalentTo("sync emit n.sum", "async emit n.sum", "both emit n.sum");
        events.Items.Skip(3).Should().Equal("sync Dispose", "async DisposeAsync", "both Dispose");
    }

    [Fact]
    public async Task DisposeAsync_awaits_asynchronous_disposal_and_prefers_it()
    {
        var events = new EventLog();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromHours(1) } },
            MSinks = { new RecordingSink("sync", events), new AsyncOnlyRecordingSink("async", events), new BothRecordingSink("both", events) },
            Scheduler = _time.Clock,
        };
        mc.Send("n", 5);

        await mc.DisposeAsync();
        await mc.DisposeAsync();

        events.Items.Where(e => e.Contains("Dispose", StringComparison.Ordinal)).Should().Equal(
            "sync Dispose", "async DisposeAsync", "both DisposeAsync");
    }

    [Fact]
    public void A_sink_that_throws_when_disposed_is_counted_and_logged_and_the_others_are_disposed()
    {
        var events = new EventLog();
        var logger = new CollectingLogger();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromHours(1) } },
            MSinks = { new RecordingSink("first", events), new ThrowingOnDisposeSink(), new RecordingSink("last", events) },
            Scheduler = _time.Clock,
            Logger = logger,
        };

        mc.Invoking(m => m.Dispose()).Should().NotThrow();

        events.Items.Should().Equal("first Dispose", "last Dispose");
        mc.Statistics.SinkFailures.Should().Be(1);
        logger.Entries.Should().ContainSingle(e => e.EventId.Name == "SinkDisposeFailed")
            .Which.Exception.Should().BeOfType<InvalidOperationException>();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MSinkTSDB_disposes_its_client_only_when_it_owns_it(bool asynchronously)
    {
        var owned = new DisposableClient();
        var notOwned = new DisposableClient();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, WindowSize = TimeSpan.FromHours(1) } },
            MSinks = { new MSinkTSDB(owned) { OwnsClient = true }, new MSinkTSDB(notOwned) },
            Scheduler = _time.Clock,
        };
        mc.Send("n", 5);

        if (asynchronously)
        {
            await mc.DisposeAsync();
        }
        else
        {
            mc.Dispose();
        }

        owned.Points.Should().Equal("n.sum=5");
        owned.Disposals.Should().Equal(asynchronously ? "DisposeAsync" : "Dispose");
        notOwned.Points.Should().Equal("n.sum=5");
        notOwned.Disposals.Should().BeEmpty();
    }

    [VictoriaMetricsFact]
    public async Task On_the_real_time_scheduler_the_last_window_is_written_to_the_database_before_dispose_returns()
    {
        await using var server = await VictoriaMetricsServer.CreateAsync();
        var client = new OpenTsdbClient { Port = server.OpenTsdbPort, Protocol = OpenTsdbProtocol.Http };
        var mc = new MCoordinator
        {
            MStreams = { new MStream("owned.latency") { Agg = { MAgg.Sum, MAgg.Count }, WindowSize = TimeSpan.FromHours(1) } },
            MSinks = { new MSinkTSDB(client) { OwnsClient = true } },
        };
        mc.Send("owned.latency", 12.5, ("route", "/home"));
        mc.Send("owned.latency", 7.5, ("route", "/home"));

        await mc.DisposeAsync();

        // Acknowledged by the server (HTTP) before dispose returned, not by luck of ordering.
        client.Statistics.Written.Should().Be(2);
        (await server.WaitForAsync("owned.latency.sum", 1)).Single().Value.Should().Be(20);
        (await server.WaitForAsync("owned.latency.count", 1)).Single().Value.Should().Be(2);
    }

    /// <summary>What the sinks saw, in order. Thread-safe (lanes run on the scheduler).</summary>
    private sealed class EventLog
    {
        private readonly List<string> _items = [];

        public IReadOnlyList<string> Items
        {
            get
            {
                lock (_items)
                {
                    return [.. _items];
                }
            }
        }

        public void Add(string item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }
    }

    private sealed class RecordingSink(string name, EventLog events) : IMSink, IDisposable
    {
        public void Emit(MElement element) => events.Add($"{name} emit {element.Name}");

        public void Dispose() => events.Add($"{name} Dispose");
    }

    private sealed class AsyncOnlyRecordingSink(string name, EventLog events) : IMSink, IAsyncDisposable
    {
        public void Emit(MElement element) => events.Add($"{name} emit {element.Name}");

        public async ValueTask DisposeAsync()
        {
            await Task.Yield();
            events.Add($"{name} DisposeAsync");
        }
    }

    private sealed class BothRecordingSink(string name, EventLog events) : IMSink, IDisposable, IAsyncDisposable
    {
        public void Emit(MElement element) => events.Add($"{name} emit {element.Name}");

        public void Dispose() => events.Add($"{name} Dispose");

        public async ValueTask DisposeAsync()
        {
            await Task.Yield();
            events.Add($"{name} DisposeAsync");
        }
    }

    private sealed class ThrowingOnDisposeSink : IMSink, IDisposable
    {
        public void Emit(MElement element)
        {
        }

        public void Dispose() => throw new InvalidOperationException("disposal failed");
    }

    private sealed class DisposableClient : ITsdbClient, IDisposable, IAsyncDisposable
    {
        public List<string> Points { get; } = [];

        public List<string> Disposals { get; } = [];

        public void Send(string metric, double value, IReadOnlyDictionary<string, string> tags) =>
            Points.Add(FormattableString.Invariant($"{metric}={value}"));

        public void Dispose() => Disposals.Add("Dispose");

        public ValueTask DisposeAsync()
        {
            Disposals.Add("DisposeAsync");
            return ValueTask.CompletedTask;
        }
    }
}
