
namespace Metrix;

/// <summary>
/// A metric and a tag set bound once (<see cref="MCoordinator.Series(string, ReadOnlySpan{ValueTuple{string, string}})"/>),
/// so that each <see cref="Send(double)"/> looks nothing up: no routing by name, no reading of tags.
/// </summary>
/// <example>
/// <code>
/// MSeries home = mc.Series("latency", ("route", "/home"));
/// home.Send(12.5);
/// using (home.Timer(scale: 1000)) { Render(); }
/// </code>
/// </example>
/// <remarks>
/// <para>Thread-safe: any number of threads may send to one series. A series' values are
/// aggregated exactly as sends with its tags would be.</para>
/// <para>Its tag set counts toward its stream's <see cref="MStream.MaxTagSets"/> like any other: it is
/// admitted to a window with its first value there. So its values go to the window's
/// <c>metrix.overflow=true</c> group only in a window where <see cref="MStream.MaxTagSets"/> other tag
/// sets arrived before it; in the next window with room they are under its own tags again. A
/// series unused for a window may be forgotten by its stream like any tag set; its next send finds
/// it again.</para>
/// </remarks>
public sealed class MSeries
{
    private readonly MCoordinator _coordinator;
    private readonly StreamPipeline _pipeline;
    private readonly TagSet _tags;

    // Where this series' values go in each stripe's open batch, so that a send looks nothing up;
    // null when its stream takes no slots. Replaced, without a lock, by the threads of a stripe.
    private readonly BoundSlot?[]? _slots;

    // Until two threads meet at it, every thread adds through this one slot (in the stripe of the
    // thread that made it), which spares finding the calling thread's stripe on each send; from the
    // first meeting on, each thread adds through its own stripe's slot in _slots (as a striped
    // counter does once its single cell is contended). Replaced, without a lock, by any thread.
    private BoundSlot? _shared;
    private bool _contended;

    // Resolved on the first send, not when bound: a tag set is admitted to a window with its first value there.
    private Series? _series;

    internal MSeries(MCoordinator coordinator, StreamPipeline pipeline, TagSet tags)
    {
        _coordinator = coordinator;
        _pipeline = pipeline;
        _tags = tags;
        _slots = pipeline.TakesBoundSlots ? new BoundSlot?[pipeline.StripeCount] : null;
    }

    /// <summary>The metric name.</summary>
    public string Name => _pipeline.Name;

    /// <summary>The tags of every value sent: the stream's default tags overridden and extended by the bound ones; null when there are none.</summary>
    public IReadOnlyDictionary<string, string>? Tags => _tags.Count == 0 ? null : _tags;

    /// <summary>
    /// Sends one value of this series. Thread-safe; never waits for a sink; allocates nothing per
    /// send (the first send of a window notes where the series' group is, so the next ones look
    /// nothing up; once threads meet at it, each thread's stripe notes its own).
    /// </summary>
    /// <param name="value">The value; a finite number.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public void Send(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Metric '{Name}': value must be a finite number.");
        }

        if (_slots is not { } slots)
        {
            Post(value);
            return;
        }

        if (!_contended)
        {
            switch (_pipeline.TryPostBound(value, _shared, waitForStripe: false))
            {
                case BoundPost.Added:
                    return;
                case BoundPost.Moved:
                    Post(value);
                    _shared = _pipeline.SlotFor(_series!);
                    return;
                default:
                    // Another thread holds the stripe: from now on, each thread uses its own, for
                    // this series and for the stream's other sends.
                    _contended = true;
                    _pipeline.StripeBySender();
                    break;
            }
        }

        var stripe = _pipeline.StripeOfThisThread;
        if (_pipeline.TryPostBound(value, slots[stripe], waitForStripe: true) != BoundPost.Added)
        {
            Post(value);
            slots[stripe] = _pipeline.SlotFor(_series!);
        }
    }

    /// <summary>Whether two threads have met at this series' shared slot, so that each adds through its own stripe (for tests).</summary>
    internal bool IsStriped => _contended;

    /// <summary>The stripe of the shared slot, if there is one (for tests).</summary>
    internal Stripe? SharedStripe => _shared?.Stripe;

    /// <summary>
    /// Starts a timer of this series: disposing the returned handle sends the elapsed seconds ×
    /// <paramref name="scale"/>, measured on the coordinator's scheduler.
    /// </summary>
    /// <param name="scale">Multiplies the elapsed seconds (1000 gives milliseconds); finite.</param>
    /// <returns>A handle that sends once, on its first dispose.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is NaN or infinite.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public IDisposable Timer(double scale = 1)
    {
        if (!double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"Metric '{Name}': scale must be a finite number.");
        }

        return _coordinator.StartTimer(_pipeline, scale, Current());
    }

    /// <summary>Describes the series: <c>MSeries('latency', {'route': '/home'})</c>.</summary>
    public override string ToString() =>
        $"MSeries({PythonRepr.String(Name)}, {(_tags.Count == 0 ? "None" : _tags.ToPythonDict())})";

    /// <summary>Adds a value the ordinary way: resolving the series again if it was forgotten or folded into overflow.</summary>
    private void Post(double value)
    {
        ObjectDisposedException.ThrowIf(!_pipeline.TryPost(value, ref Current()), typeof(MCoordinator));
    }

    /// <summary>
    /// The series to send to: the one resolved last, unless there is none yet, or it is the overflow
    /// one (the window was full when it was resolved) or forgotten, in which case the tags are
    /// resolved again. The first resolution starts the coordinator (as a first send does), so a
    /// send through a resolved series need not check that again.
    /// </summary>
    private ref Series Current()
    {
        if (_series is not { IsOverflow: false, IsRetired: false })
        {
            _coordinator.Start();
            _series = _pipeline.Tags.Refresh(_tags);
        }

        return ref _series!;
    }
}
