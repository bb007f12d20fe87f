using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace Metrix;

// Settings: each is held by the pipeline's shared context (Ingest/PipelineContext), which checks
// it and freezes it when the coordinator starts.
public sealed partial class MCoordinator
{
    /// <summary>
    /// Tags on every element of every stream, overridden by a stream's
    /// <see cref="MStream.DefaultTags"/>, which the tags of a send override in turn. Typical use:
    /// <c>["instance"] = "web-3"</c>, so that several processes writing one database never write
    /// the same series. Copied when set. Default: none.
    /// </summary>
    /// <remarks>They are added to the aggregated elements, so they do not count toward
    /// <see cref="MStream.MaxTagSets"/> and <see cref="MSeries.Tags"/> does not show them.</remarks>
    /// <exception cref="ArgumentException">A key is null or empty, or a value is null.</exception>
    /// <exception cref="InvalidOperationException">The coordinator has started.</exception>
    public IReadOnlyDictionary<string, string>? CommonTags
    {
        get => _context.CommonTags.Count == 0 ? null : _context.CommonTags;
        set => _context.CommonTags = TagSet.From(value, nameof(CommonTags));
    }

    /// <summary>
    /// The rate limit of sinks added without their own: consecutive deliveries to such a sink are
    /// at least this far apart on <see cref="Scheduler"/>'s clock. Paces; never drops.
    /// Default: null (no limit).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    /// <exception cref="InvalidOperationException">The coordinator has started.</exception>
    public TimeSpan? RateLimit
    {
        get => _context.DefaultRateLimit;
        set => _context.DefaultRateLimit = value;
    }

    /// <summary>
    /// Makes every timing decision: windows, rate limits, timers and delivery to sinks. Windows are
    /// aligned to this scheduler's clock at the moment it is set. Default:
    /// <see cref="DefaultScheduler.Instance"/> (real time, thread pool). Tests pass a
    /// <see cref="HistoricalScheduler"/> and advance it.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The value runs work on the calling thread
    /// (<see cref="ImmediateScheduler"/>, <see cref="CurrentThreadScheduler"/>).</exception>
    /// <exception cref="InvalidOperationException">The coordinator has started.</exception>
    public IScheduler Scheduler
    {
        get => _context.Scheduler;
        set => _context.Scheduler = value;
    }

    /// <summary>
    /// Where the coordinator reports its own trouble: a sink or an aggregation that threw, elements
    /// dropped. Can change at any time. Default: a logger that discards everything.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public ILogger Logger
    {
        get => _context.Diagnostics.Logger;
        set => _context.Diagnostics.Logger = value;
    }

    /// <summary>
    /// How many elements each sink's queue holds before further elements for that sink are dropped
    /// (counted in <see cref="Statistics"/> and logged). Default: <see cref="DefaultSinkQueueCapacity"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The coordinator has started.</exception>
    public int SinkQueueCapacity
    {
        get => _context.SinkQueueCapacity;
        set => _context.SinkQueueCapacity = value;
    }

    /// <summary>
    /// How long <see cref="Dispose"/> and <see cref="DisposeAsync"/> wait, in real time, for the
    /// sinks to receive what is pending; what is still queued then is counted as dropped and logged.
    /// Not used under a virtual-time scheduler, whose clock dispose advances instead. Default: 30 s.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan DisposeTimeout
    {
        get => _disposeTimeout;
        set
        {
            if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(DisposeTimeout), value, "DisposeTimeout must not be negative.");
            }

            _disposeTimeout = value;
        }
    }

    /// <summary>What has been delivered, and what failed or was dropped, so far.</summary>
    public MCoordinatorStatistics Statistics => _context.Diagnostics.Snapshot();
}
