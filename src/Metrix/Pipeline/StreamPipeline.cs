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
/// One gate per metric serializes posts, window closes, flushes and completion, so the Rx
/// contract (no concurrent <c>OnNext</c>) holds downstream. Emission happens under the gate;
/// what runs downstream (aggregation and enqueueing into sink lanes) never calls a sink.
/// A window close is scheduled only when a window receives its first element, at the next
/// boundary of the grid <c>Origin + k · WindowSize</c>, so idle metrics cost no timers.
/// </remarks>
internal sealed class StreamPipeline
{
    private readonly Lock _gate = new();
    private readonly Subject<Batch> _batches = new();
    private readonly PipelineContext _context;
    private readonly TimeSpan? _windowSize;
    private readonly int _batchSize;
    private readonly AggregationPlan _plan;
    private Batch _current;
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
        _current = new Batch(_plan, Tags.SlotCount);
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
        if (tags.IsOverflow)
        {
            _context.Diagnostics.TagSetOverflow(Config.Name, Config.MaxTagSets);
        }

        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            // Schedule before adding: if scheduling throws, the post changed nothing.
            if (_windowSize is { } window)
            {
                _pendingClose ??= ScheduleClose(window);
            }

            _current.Add(value, tags);
            if (_current.Count >= _batchSize)
            {
                EmitLocked();
            }

            return true;
        }
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

            EmitLocked();
            _completed = true;
            _pendingClose?.Dispose();
            _pendingClose = null;
            _batches.OnCompleted();
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
            _pendingClose = null;
            EmitLocked();
        }
    }

    private void EmitLocked()
    {
        if (_completed || _current.Count == 0)
        {
            return;
        }

        var batch = _current;
        batch.ClosedAt = _context.Scheduler.Now;
        _current = new Batch(_plan, Tags.SlotCount);
        _batches.OnNext(batch);
    }
}
