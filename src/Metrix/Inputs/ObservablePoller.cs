using System.Diagnostics.Metrics;

namespace Metrix.Inputs;

/// <summary>
/// Observes one observable instrument once per window of its stream, on the coordinator's
/// scheduler: halfway through each window by the clock, the next one in a later window than the
/// last. A window's close can come later than its boundary (a busy machine; a send preempted
/// between adding its value and setting its window's close moves that close a window on): while
/// the window that received the last observation is still open, the next one waits a quarter
/// window and looks again. So a window never gets two observations.
/// </summary>
/// <remarks>
/// A <see cref="MeterListener"/> observes every observable instrument it has enabled at once, so
/// each instrument gets a listener of its own: instruments of streams with different windows are
/// observed on their own schedules.
/// </remarks>
internal sealed class ObservablePoller : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MeterListener _listener;
    private readonly PipelineContext _context;
    private readonly TimeSpan _window;
    private readonly StreamPipeline _stream;
    private long _observedWindow = -1;
    private IDisposable? _pending;
    private bool _disposed;

    /// <param name="followed">The instrument.</param>
    /// <param name="window">Its stream's window size.</param>
    /// <param name="stream">Its stream, whose open window the observations go to.</param>
    /// <param name="context">The coordinator's scheduler and window grid.</param>
    /// <param name="setCallbacks">Sets the bridge's measurement callbacks on a listener.</param>
    public ObservablePoller(FollowedInstrument followed, TimeSpan window, StreamPipeline stream, PipelineContext context, Action<MeterListener> setCallbacks)
    {
        _context = context;
        _window = window;
        _stream = stream;
        _listener = new MeterListener();
        setCallbacks(_listener);
        _listener.EnableMeasurementEvents(followed.Instrument, followed);
        _listener.Start();
        lock (_gate)
        {
            ScheduleLocked(NextHalfway(context.Scheduler.Now));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending?.Dispose();
            _pending = null;
        }

        _listener.Dispose();
    }

    /// <summary>The first halfway point of a window (on the coordinator's grid) after <paramref name="now"/>.</summary>
    private DateTimeOffset NextHalfway(DateTimeOffset now)
    {
        var origin = _context.Origin;
        var elapsed = now < origin ? TimeSpan.Zero : now - origin;
        var halfway = origin + TimeSpan.FromTicks((elapsed.Ticks / _window.Ticks * _window.Ticks) + (_window.Ticks / 2));
        return halfway > now ? halfway : halfway + _window;
    }

    /// <summary>The halfway point of the window after the one <paramref name="now"/> is in.</summary>
    private DateTimeOffset HalfwayOfNextWindow(DateTimeOffset now)
    {
        var origin = _context.Origin;
        var elapsed = now < origin ? TimeSpan.Zero : now - origin;
        return origin + TimeSpan.FromTicks((((elapsed.Ticks / _window.Ticks) + 1) * _window.Ticks) + (_window.Ticks / 2));
    }

    private void ScheduleLocked(DateTimeOffset due) =>
        _pending = _context.Scheduler.ScheduleDetached(due, () => Poll(due));

    private void Poll(DateTimeOffset due)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = _context.Scheduler.Now;
            if (now < due)
            {
                // An early timer: wait for the halfway point.
                _pending = _context.Scheduler.ScheduleAgain(due, () => Poll(due));
                return;
            }

            if (_observedWindow >= 0 && _stream.HoldsData(_observedWindow))
            {
                // The window of the last observation is still open (its close comes late): look again soon.
                ScheduleLocked(now + TimeSpan.FromTicks(Math.Max(_window.Ticks / 4, 1)));
                return;
            }

            // The observation's callbacks forward to the coordinator and never throw. Its window is
            // read after it: should a close come between, the next observation waits for the next
            // window's close (none in a window, rather than two).
            _listener.RecordObservableInstruments();
            _observedWindow = _stream.Tags.Window;
            ScheduleLocked(HalfwayOfNextWindow(now));
        }
    }
}
