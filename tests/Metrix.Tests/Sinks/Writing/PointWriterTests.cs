using Metrix.Sinks.Writing;
using Metrix.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Metrix.Tests.Sinks.Writing;

/// <summary>
/// The writer core every database client shares, on a fake clock and a scripted transport (no
/// server): order, resend after failures with backoff, refused batches, full buffer, dispose.
/// </summary>
public sealed class PointWriterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly CountingTimeProvider _clock = new();
    private readonly CollectingLogger _logger = new();
    private readonly WriteCounters _counters = new();

    [Fact]
    public async Task Failed_writes_are_retried_after_jittered_doubling_waits_and_every_point_is_written_once_in_order()
    {
        var transport = new ScriptedTransport(failures: 3);
        var writer = Writer(transport, random: () => 1.0);
        foreach (var point in Enumerable.Range(1, 5))
        {
            writer.Enqueue(point, $"#{point}");
        }

        // Attempt 1 fails at once; then waits of 0.1, 0.2, 0.4 s (random = 1: the whole ceiling).
        var attempt = 1;
        foreach (var wait in new[] { 0.1, 0.2, 0.4 })
        {
            await transport.WaitForAttemptsAsync(attempt);
            await _clock.WaitForTimersAsync(attempt); // the writer's wait is set on the fake clock
            _clock.Advance(TimeSpan.FromSeconds(wait) - TimeSpan.FromTicks(1));
            await Task.Delay(20);
            transport.Attempts.Should().Be(attempt, "no retry before its wait is over");
            _clock.Advance(TimeSpan.FromTicks(1));
            await transport.WaitForAttemptsAsync(++attempt);
        }

        await writer.DisposeAsync();

        transport.Written.Should().Equal(1, 2, 3, 4, 5);
        _counters.Written.Should().Be(5);
        _counters.FailedWrites.Should().Be(3);
        _logger.Entries.Where(e => e.EventId.Id == 101).Select(e => e["Delay"]).Should().Equal(
            TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(0.4));
        _logger.Entries.Should().ContainSingle(e => e.EventId.Id == 102).Which["Failures"].Should().Be(3);
    }

    [Fact]
    public async Task A_batch_the_server_refuses_is_dropped_counted_and_logged_and_the_next_is_written()
    {
        var transport = new ScriptedTransport(refuse: point => point == 2);
        var writer = Writer(transport, maxBatchSize: 1);

        foreach (var point in Enumerable.Range(1, 3))
        {
            writer.Enqueue(point, $"#{point}");
        }

        await writer.DisposeAsync();

        transport.Written.Should().Equal(1, 3);
        _counters.Dropped.Should().Be(1);
        _counters.FailedWrites.Should().Be(0, "a refusal is not retried");
        _logger.Entries.Should().ContainSingle(e => e.EventId.Id == 103).Which.Message.Should().Contain("rejected them (no #2)");
    }

    [Fact]
    public async Task A_send_to_a_full_buffer_waits_for_SendTimeout_then_drops_the_point_and_throws()
    {
        var transport = new ScriptedTransport(failures: int.MaxValue);
        var writer = Writer(transport, capacity: 2, maxBatchSize: 1);
        writer.Enqueue(1, "#1");
        await transport.WaitForAttemptsAsync(1);
        writer.Enqueue(2, "#2");
        writer.Enqueue(3, "#3");

        var send = Task.Run(() => writer.Enqueue(4, "#4"));
        await _clock.WaitForTimersAsync(2); // the writer's backoff, then the send's timeout
        _clock.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
        await Task.Delay(20);
        send.IsCompleted.Should().BeFalse("the buffer is full and SendTimeout has not passed");
        _clock.Advance(TimeSpan.FromTicks(1));

        await FluentActions.Awaiting(() => send.WaitAsync(Bound)).Should().ThrowAsync<TimeoutException>().WithMessage("*#4 was dropped*");
        _counters.Dropped.Should().Be(1);
        await DisposeWhileDownAsync(writer);
    }

    [Fact]
    public async Task Dispose_writes_what_is_buffered_and_when_the_server_stays_down_gives_up_after_DisposeTimeout_counting_the_rest()
    {
        var transport = new ScriptedTransport(failures: int.MaxValue);
        var writer = Writer(transport);
        foreach (var point in Enumerable.Range(1, 4))
        {
            writer.Enqueue(point, $"#{point}");
        }

        await DisposeWhileDownAsync(writer);

        transport.Written.Should().BeEmpty();
        _counters.Dropped.Should().Be(4);
        _logger.Entries.Should().Contain(e => e.EventId.Id == 103 && e.Message.Contains("dispose gave up", StringComparison.Ordinal));
        transport.Disposed.Should().BeTrue();
        FluentActions.Invoking(() => writer.Enqueue(5, "#5")).Should().Throw<ObjectDisposedException>();
    }

    /// <summary>Disposes while time passes: the fake clock moves past DisposeTimeout until dispose returns.</summary>
    private async Task DisposeWhileDownAsync(PointWriter<int> writer)
    {
        var dispose = writer.DisposeAsync().AsTask();
        var deadline = DateTime.UtcNow + Bound;
        while (!dispose.IsCompleted && DateTime.UtcNow < deadline)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        await dispose.WaitAsync(Bound);
    }

    private PointWriter<int> Writer(ScriptedTransport transport, int capacity = 100, int maxBatchSize = 100, Func<double>? random = null) =>
        new(new PointWriterSettings(
            "Test client", "test:1", capacity, maxBatchSize, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5),
            TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(30), _logger, _clock), transport, _counters, random);

    /// <summary>Fails its first writes (as a server that is down), refuses chosen points, records the rest.</summary>
    private sealed class ScriptedTransport(int failures = 0, Func<int, bool>? refuse = null) : IPointTransport<int>
    {
        private readonly List<int> _written = [];
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public bool Disposed { get; private set; }

        public IReadOnlyList<int> Written
        {
            get
            {
                lock (_written)
                {
                    return [.. _written];
                }
            }
        }

        public Task WriteAsync(IReadOnlyList<int> points, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _attempts) <= failures)
            {
                throw new IOException("connection refused");
            }

            if (refuse is not null && points.FirstOrDefault(refuse) is var refused and not 0)
            {
                throw new PointsRejectedException($"no #{refused}");
            }

            lock (_written)
            {
                _written.AddRange(points);
            }

            return Task.CompletedTask;
        }

        public async Task WaitForAttemptsAsync(int count)
        {
            var deadline = DateTime.UtcNow + Bound;
            while (Attempts < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1);
            }

            Attempts.Should().BeGreaterThanOrEqualTo(count);
        }

        public ValueTask ResetAsync() => ValueTask.CompletedTask;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A fake clock that counts the timers set on it, so a test advances it only once a wait is set.</summary>
    private sealed class CountingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
        private int _timers;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }

        public async Task WaitForTimersAsync(int count)
        {
            var deadline = DateTime.UtcNow + Bound;
            while (Volatile.Read(ref _timers) < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1);
            }

            Volatile.Read(ref _timers).Should().BeGreaterThanOrEqualTo(count);
        }
    }
}
