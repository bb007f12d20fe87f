using System.Diagnostics.CodeAnalysis;
using System.Reactive.Concurrency;

namespace Metrix.Ingest;

/// <summary>
/// The settings every part of a coordinator's pipeline shares. They can change while the
/// coordinator is being configured (initializer order never matters) and are frozen when it
/// starts, on its first <c>Send</c>, <c>Timer</c>, <c>Flush</c> or <c>Dispose</c>.
/// </summary>
internal sealed class PipelineContext
{
    private IScheduler _scheduler = DefaultScheduler.Instance;
    private TimeSpan? _defaultRateLimit;
    private TagSet _commonTags = TagSet.Empty;
    private int _sinkQueueCapacity = MCoordinator.DefaultSinkQueueCapacity;
    private volatile bool _started;

    public PipelineContext()
    {
        Origin = _scheduler.Now;
        Diagnostics = new PipelineDiagnostics(() => _scheduler.Now);
    }

    public PipelineDiagnostics Diagnostics { get; }

    public bool IsStarted => _started;

    /// <summary>Where windows are aligned: the scheduler's clock when the coordinator was created or given its scheduler.</summary>
    public DateTimeOffset Origin { get; private set; }

    public IScheduler Scheduler
    {
        get => _scheduler;
        set
        {
            ArgumentNullException.ThrowIfNull(value, nameof(MCoordinator.Scheduler));

            // These run work on the calling thread: a sink would run inside Send, under the
            // pipeline's locks, and Send would block until a window closed.
            if (value is ImmediateScheduler or CurrentThreadScheduler)
            {
                throw new ArgumentException(
                    $"{value.GetType().Name} runs work on the calling thread; the coordinator needs a scheduler that runs it later (DefaultScheduler, TaskPoolScheduler, EventLoopScheduler, HistoricalScheduler).",
                    nameof(MCoordinator.Scheduler));
            }

            ThrowIfStarted(nameof(MCoordinator.Scheduler));
            _scheduler = value;
            Origin = value.Now;
        }
    }

    /// <summary>Tags on every element of every stream, below each stream's defaults. Fixed once started.</summary>
    public TagSet CommonTags
    {
        get => _commonTags;
        set
        {
            ThrowIfStarted(nameof(MCoordinator.CommonTags));
            _commonTags = value;
        }
    }

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly", Justification = "Names the public setting the caller set (MCoordinator.RateLimit), not this internal setter's 'value'.")]
    public TimeSpan? DefaultRateLimit
    {
        get => _defaultRateLimit;
        set
        {
            if (value < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(MCoordinator.RateLimit), value, "A rate limit must not be negative.");
            }

            ThrowIfStarted(nameof(MCoordinator.RateLimit));
            _defaultRateLimit = value;
        }
    }

    public int SinkQueueCapacity
    {
        get => _sinkQueueCapacity;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MCoordinator.SinkQueueCapacity), value, "A sink queue needs room for at least 1 element.");
            }

            ThrowIfStarted(nameof(MCoordinator.SinkQueueCapacity));
            _sinkQueueCapacity = value;
        }
    }

    /// <summary>Freezes the settings. Idempotent and thread-safe.</summary>
    public void Start() => _started = true;

    private void ThrowIfStarted(string setting)
    {
        if (_started)
        {
            throw new InvalidOperationException(
                $"{setting} cannot change after the coordinator has started (on its first Send, Timer, Flush or Dispose); set it in the initializer.");
        }
    }
}
