using System.Globalization;
using Metrix.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Metrix.Tests.Delivery;

/// <summary>A sink or an aggregation that fails or is slow stays in its own lane: counted, logged, isolated.</summary>
public sealed class SinkIsolationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly HistoricalSchedulerFixture _time = new();

    [Fact]
    public void When_a_sink_throws_the_other_sinks_still_receive_everything_and_the_failure_is_logged_and_counted()
    {
        var logger = new CollectingLogger();
        var throwing = new ThrowingSink();
        var healthy = new CollectingSink();
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum, MAgg.Count }, BatchSize = 2 } },
            MSinks = { throwing, healthy },
            Scheduler = _time.Clock,
            Logger = logger,
        };

        for (var i = 1; i <= 4; i++)
        {
            mc.Send("n", i);
        }

        _time.Tick();

        healthy.Elements.Should().Equal(
            new MElement("n.sum", 3), new MElement("n.count", 2), new MElement("n.sum", 7), new MElement("n.count", 2));
        throwing.Calls.Should().Be(4, "a throwing sink keeps receiving the elements after its failures");
        mc.Statistics.SinkFailures.Should().Be(4);
        mc.Statistics.Delivered.Should().Be(4);
        var failures = logger.Entries.Where(e => e.EventId.Id == 1).ToList();
        failures.Should().HaveCount(4).And.OnlyContain(e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
        failures[0].Message.Should().Contain("ThrowingSink").And.Contain("n.sum");
    }

    [Fact]
    public void When_an_aggregation_throws_only_its_outputs_are_skipped_and_the_failure_is_logged_and_counted()
    {
        var logger = new CollectingLogger();
        var sink = new CollectingSink();
        var boom = new MAgg("boom", values => values.Count > 1 ? throw new InvalidOperationException("boom") : values[0]);
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum, boom, MAgg.Max }, BatchSize = 3 } },
            MSinks = { sink },
            Scheduler = _time.Clock,
            Logger = logger,
        };

        mc.Send("n", 1, Tags.Of(("g", "a")));
        mc.Send("n", 2, Tags.Of(("g", "a")));
        mc.Send("n", 3, Tags.Of(("g", "b")));
        _time.Tick();

        sink.Elements.Should().Equal(
            new MElement("n.sum", 3, Tags.Of(("g", "a"))),
            new MElement("n.sum", 3, Tags.Of(("g", "b"))),
            new MElement("n.boom", 3, Tags.Of(("g", "b"))),
            new MElement("n.max", 2, Tags.Of(("g", "a"))),
            new MElement("n.max", 3, Tags.Of(("g", "b"))));
        mc.Statistics.AggregationFailures.Should().Be(1);
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 2)
            .Which.Message.Should().Contain("n.boom").And.Contain("g:a");
    }

    [Fact]
    public void A_logger_that_throws_breaks_neither_the_lanes_nor_the_senders()
    {
        var healthy = new CollectingSink();
        var boom = new MAgg("boom", _ => throw new InvalidOperationException("boom"));
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { boom, MAgg.Sum }, BatchSize = 1 } },
            MSinks = { new ThrowingSink(), healthy },
            Scheduler = _time.Clock,
            Logger = new ThrowingLogger(),
        };

        mc.Send("n", 1);
        mc.Send("n", 2);
        _time.Tick();

        healthy.Elements.Should().Equal(new MElement("n.sum", 1), new MElement("n.sum", 2));
        mc.Statistics.AggregationFailures.Should().Be(2);
        mc.Statistics.SinkFailures.Should().Be(2);
    }

    [Fact]
    public void A_full_sink_queue_drops_the_overflow_and_counts_and_logs_it()
    {
        var logger = new CollectingLogger();
        var sink = new CollectingSink();
        using var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 5 } },
            MSinks = { { sink, TimeSpan.FromSeconds(1) } },
            SinkQueueCapacity = 2,
            Scheduler = _time.Clock,
            Logger = logger,
        };

        for (var i = 0; i < 5; i++)
        {
            mc.Send("n", i, Tags.Of(("i", i.ToString(CultureInfo.InvariantCulture))));
        }

        _time.AdvanceToSeconds(10);

        sink.Elements.Select(e => e.Value).Should().Equal(0, 1);
        mc.Statistics.Dropped.Should().Be(3);
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 3)
            .Which.Should().Match<LogEntry>(e => e.Level == LogLevel.Warning && (long)e["Count"]! == 3 && e.Message.Contains("queue was full"));
    }

    [Fact]
    public void Sink_queue_capacity_below_one_is_rejected()
    {
        using var mc = new MCoordinator();

        FluentActions.Invoking(() => mc.SinkQueueCapacity = 0)
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("SinkQueueCapacity");
    }

    [Fact]
    public void A_slow_sink_blocks_neither_Send_nor_the_other_sinks()
    {
        using var slow = new BlockingSink();
        var fast = new CollectingSink();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 1 } },
            MSinks = { slow, fast },
        };

        mc.Send("n", 1);
        slow.Entered.Wait(Bound).Should().BeTrue("the slow sink received the first element");

        // The slow sink is now stuck inside Emit; sending and the fast sink carry on.
        mc.Send("n", 2);
        mc.Send("n", 3);
        SpinWait.SpinUntil(() => fast.Elements.Count == 3, Bound).Should().BeTrue();
        slow.Elements.Should().BeEmpty();

        slow.Release();
        mc.Dispose();
        slow.Elements.Select(e => e.Value).Should().Equal(1, 2, 3);
        fast.Elements.Select(e => e.Value).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Sinks_never_run_on_the_sending_thread()
    {
        var threads = new ThreadRecordingSink();
        using (var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Sum }, BatchSize = 1 } },
            MSinks = { threads },
        })
        {
            for (var i = 0; i < 20; i++)
            {
                mc.Send("n", i);
            }
        }

        threads.ThreadIds.Should().HaveCount(20).And.NotContain(Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void Dispose_gives_up_on_a_stuck_sink_after_the_timeout_and_counts_and_logs_what_it_could_not_deliver()
    {
        var logger = new CollectingLogger();
        using var stuck = new BlockingSink();
        var mc = new MCoordinator
        {
            MStreams = { new MStream("n") { Agg = { MAgg.Min, MAgg.Max, MAgg.Sum }, BatchSize = 1 } },
            MSinks = { stuck },
            Logger = logger,
            DisposeTimeout = TimeSpan.FromMilliseconds(100),
        };
        mc.Send("n", 1);
        stuck.Entered.Wait(Bound).Should().BeTrue();

        mc.Dispose();

        // One element is inside Emit; the two behind it could not be delivered.
        mc.Statistics.Dropped.Should().Be(2);
        logger.Entries.Should().ContainSingle(e => e.EventId.Id == 3).Which.Message.Should().Contain("DisposeTimeout");
        stuck.Release();
    }

    private sealed class ThreadRecordingSink : IMSink
    {
        private readonly List<int> _threadIds = [];

        public IReadOnlyList<int> ThreadIds
        {
            get
            {
                lock (_threadIds)
                {
                    return [.. _threadIds];
                }
            }
        }

        public void Emit(MElement element)
        {
            lock (_threadIds)
            {
                _threadIds.Add(Environment.CurrentManagedThreadId);
            }
        }
    }
}
