using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Metrix.Aggregation;

namespace Metrix.Pipeline;

/// <summary>
/// One metric's pipeline: takes (value, tags) posts from any thread, cuts them into batches by
/// count or into tumbling windows by time, and emits each closed batch's aggregated elements.
/// </summary>
/// <remarks>
/// <para>Posts land in a stripe: its own lock and its own open batch. A batch by count has one
/// stripe, since "every n successive elements" needs one order. A window has
/// <see cref="WindowStripes"/>, picked by the sending thread, so threads sending to one metric do
/// not contend; closing the window merges the stripes in stripe order. One thread always lands in
/// one stripe, so what it sends is aggregated exactly in its order.</para>
/// <para>The stream's gate serializes window closes, flushes and completion, so the Rx contract
/// (no concurrent <c>OnNext</c>) holds downstream; what runs there (aggregation, enqueueing into
/// sink lanes) never calls a sink. A close is scheduled only when a window receives its first
/// element, at the next boundary of the grid <c>Origin + k · WindowSize</c>, so idle metrics cost
/// no timers.</para>
/// </remarks>
internal sealed class StreamPipeline
{
    /// <summary>Stripes of a windowed stream: enough for the producer threads of a busy process.</summary>
    public const int WindowStripes = 8;

    private readonly Lock _gate = new();
    private readonly Subject<Batch> _batches = new();
    private readonly PipelineContext _context;
    private readonly TimeSpan? _windowSize;
    private readonly int _batchSize;
    private readonly AggregationPlan _plan;
    private readonly Stripe[] _stripes;
    private readonly int _stripeMask;
    private readonly bool _windowed;
    private IDisposable? _pendingClose;
    private bool _completed;

    public StreamPipeline(MStream config, PipelineContext context)
    {
        var aggregations = config.Validate();
        Config = config;
        _context = context;
        _windowSize = config.WindowSize;
        _batchSize = config.BatchSize ?? int.MaxValue;
        _plan = new AggregationPlan(config.Name, aggregations);
        Tags = new TagSetRegistry(config.DefaultTagSet, config.MaxTagSets);

        // A batch by count shares the stream's gate, so a full batch is emitted under it.
        _stripes = _windowSize is null
            ? [new Stripe(_gate, NewBatch())]
            : [.. Enumerable.Range(0, WindowStripes).Select(_ => new Stripe(new Lock(), NewBatch()))];
        _stripeMask = _stripes.Length - 1;
        _windowed = _windowSize is not null;
        var aggregator = new BatchAggregator(config.Name, _plan, context.Diagnostics);
        Output = _batches.Select(aggregator.Aggregate);
    }

    public MStream Config { get; }

    /// <summary>Resolves the tags of a send to this metric's tag sets (validating them).</summary>
    public TagSetRegistry Tags { get; }

    /// <summary>The aggregated elements of each closed batch, in the documented order.</summary>
    public IObservable<IReadOnlyList<MElement>> Output { get; }

    /// <summary>Adds one value; returns false, changing nothing, once the pipeline has completed.</summary>
    public bool TryPost(double value, TagSetRegistry.Resolution tags)
    {
        var stripe = _stripes[Environment.CurrentManagedThreadId & _stripeMask];
        lock (stripe.Gate)
        {
            if (stripe.Completed)
            {
                return false;
            }

            var batch = stripe.Batch;
            batch.Add(value, tags);
            if (batch.Count >= _batchSize)
            {
                EmitLocked();
            }
        }

        if (tags.IsOverflow)
        {
            _context.Diagnostics.TagSetOverflow(Config.Name, Config.MaxTagSets);
        }

        // A close clears this before it collects the stripes: a value added after the collection
        // sees null here and schedules the next close.
        if (_windowed && Volatile.Read(ref _pendingClose) is null)
        {
            ScheduleCloseIfNone();
        }

        return true;
    }

    /// <summary>Closes the open batch or window now, emitting its aggregates if it holds any element.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            EmitLocked();
        }
    }

    /// <summary>Flushes, then refuses further posts and completes the output. Idempotent.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            EmitLocked(completing: true);
            _completed = true;
            _pendingClose?.Dispose();
            _pendingClose = null;
            _batches.OnCompleted();
        }
    }

    private Batch NewBatch() => new(_plan, Tags.SlotCount);

    private void ScheduleCloseIfNone()
    {
        lock (_gate)
        {
            if (!_completed && _pendingClose is null)
            {
                _pendingClose = ScheduleClose(_windowSize!.Value);
            }
        }
    }

    private IDisposable ScheduleClose(TimeSpan window)
    {
        var scheduler = _context.Scheduler;
        var origin = _context.Origin;
        var elapsed = scheduler.Now - origin;
        var boundary = elapsed < TimeSpan.Zero ? 0 : (elapsed.Ticks / window.Ticks) + 1;

        // Saturate rather than overflow for windows that end beyond the calendar.
        var due = boundary > (DateTimeOffset.MaxValue - origin).Ticks / window.Ticks
            ? DateTimeOffset.MaxValue
            : origin + TimeSpan.FromTicks(boundary * window.Ticks);
        return scheduler.Schedule(due, CloseWindow);
    }

    private void CloseWindow()
    {
        lock (_gate)
        {
            Volatile.Write(ref _pendingClose, null);
            EmitLocked();
        }
    }

    /// <summary>Under the stream's gate: takes every stripe's batch, merges them, emits the result.</summary>
    private void EmitLocked(bool completing = false)
    {
        if (_completed)
        {
            return;
        }

        Batch? merged = null;
        foreach (var stripe in _stripes)
        {
            Batch taken;
            lock (stripe.Gate)
            {
                stripe.Completed = completing;
                if (stripe.Batch.Count == 0)
                {
                    continue;
                }

                taken = stripe.Batch;
                stripe.Batch = NewBatch();
            }

            if (merged is null)
            {
                merged = taken;
            }
            else
            {
                merged.Merge(taken, Tags.SlotCount);
            }
        }

        if (merged is not null)
        {
            merged.ClosedAt = _context.Scheduler.Now;
            _batches.OnNext(merged);
        }
    }

    /// <summary>A share of the open window: its own lock and batch, so producer threads do not contend.</summary>
    private sealed class Stripe(Lock gate, Batch batch)
    {
        public readonly Lock Gate = gate;
        public Batch Batch = batch;
        public bool Completed;
    }
}
