namespace Metrix.Delivery;

/// <summary>
/// One sink's lane: a bounded queue drained on the scheduler, one element per call, consecutive
/// deliveries at least the rate limit apart. The sink is never called concurrently with itself,
/// never under a lock and never on a sender's thread; its exceptions stay in this lane.
/// </summary>
internal sealed class SinkLane : IObserver<IReadOnlyList<MElement>>
{
    private readonly Lock _gate = new();
    private readonly Queue<MElement> _queue = new();
    private readonly PipelineContext _context;
    private readonly TimeSpan? _ownRateLimit;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _lastDelivery;
    private DateTimeOffset? _nextDue;
    private bool _completed;

    public SinkLane(IMSink sink, TimeSpan? rateLimit, PipelineContext context)
    {
        Sink = sink;
        _ownRateLimit = rateLimit;
        _context = context;
    }

    public IMSink Sink { get; }

    /// <summary>The sink's own rate limit, else the coordinator's default, else none (zero).</summary>
    public TimeSpan RateLimit => _ownRateLimit ?? _context.DefaultRateLimit ?? TimeSpan.Zero;

    /// <summary>Completes once the lane has been completed and everything queued was delivered.</summary>
    public Task Drained => _drained.Task;

    /// <summary>When the next delivery is scheduled, or null when none is.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _nextDue;
            }
        }
    }

    public void OnNext(IReadOnlyList<MElement> value)
    {
        var dropped = 0;
        bool afterShutdown;
        lock (_gate)
        {
            afterShutdown = _completed;
            if (afterShutdown)
            {
                dropped = value.Count;
            }
            else
            {
                foreach (var element in value)
                {
                    if (_queue.Count < _context.SinkQueueCapacity)
                    {
                        _queue.Enqueue(element);
                    }
                    else
                    {
                        dropped++;
                    }
                }

                if (_nextDue is null && _queue.Count > 0)
                {
                    ScheduleLocked();
                }
            }
        }

        if (dropped > 0)
        {
            var reason = afterShutdown
                ? "the sink's lane had already shut down"
                : $"the sink's queue was full ({_context.SinkQueueCapacity} elements); raise MCoordinator.SinkQueueCapacity or speed up the sink";
            _context.Diagnostics.Dropped(Sink.ToString() ?? Sink.GetType().Name, dropped, reason);
        }
    }

    public void OnError(Exception error)
    {
        // The merged stream of aggregates never faults: aggregation failures are caught upstream.
    }

    public void OnCompleted() => Complete();

    /// <summary>No more elements will come: the lane drains what it holds, then reports <see cref="Drained"/>.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            if (_nextDue is null)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Gives up on what is still queued (shutdown timed out): counts and logs it.</summary>
    public void Abandon(string reason)
    {
        int abandoned;
        lock (_gate)
        {
            _completed = true;
            abandoned = _queue.Count;
            _queue.Clear();
        }

        if (abandoned > 0)
        {
            _context.Diagnostics.Dropped(Sink.ToString() ?? Sink.GetType().Name, abandoned, reason);
        }
    }

    private void ScheduleLocked()
    {
        var scheduler = _context.Scheduler;
        var now = scheduler.Now;
        var due = _lastDelivery is { } last && last + RateLimit > now ? last + RateLimit : now;
        _nextDue = due;
        // OnNext can run inside a Send (a full batch): the delivery must not carry the sender's context.
        scheduler.ScheduleDetached(due, Deliver);
    }

    private void Deliver()
    {
        lock (_gate)
        {
            // The rate limit is measured on the scheduler's clock, which an early timer has not reached.
            if (_nextDue is { } due && _context.Scheduler.Now < due)
            {
                _context.Scheduler.ScheduleAgain(due, Deliver);
                return;
            }
        }

        var rateLimit = RateLimit;
        while (true)
        {
            MElement element;
            lock (_gate)
            {
                if (!_queue.TryDequeue(out element!))
                {
                    _nextDue = null;
                    if (_completed)
                    {
                        _drained.TrySetResult();
                    }

                    return;
                }

                _lastDelivery = _context.Scheduler.Now;
            }

            try
            {
                Sink.Emit(element);
                _context.Diagnostics.Delivered();
            }
            catch (Exception ex)
            {
                _context.Diagnostics.SinkFailed(Sink, element, ex);
            }

            if (rateLimit > TimeSpan.Zero)
            {
                lock (_gate)
                {
                    _nextDue = null;
                    if (_queue.Count > 0)
                    {
                        ScheduleLocked();
                    }
                    else if (_completed)
                    {
                        _drained.TrySetResult();
                    }
                }

                return;
            }
        }
    }
}
