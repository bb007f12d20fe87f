using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Metrix.Tests.Support;

/// <summary>
/// A virtual clock whose timers fire early, as the real-time scheduler's do (its timers run on a
/// monotonic clock with millisecond resolution while <c>Now</c> is the wall clock): an action due at
/// an absolute time runs up to <see cref="Early"/> before it by <see cref="Now"/>, never earlier
/// than half of its remaining wait. Deterministic, so the real scheduler's defects reproduce here.
/// </summary>
public sealed class EarlyTimerScheduler : IScheduler
{
    public static readonly TimeSpan Early = TimeSpan.FromMilliseconds(1);

    public HistoricalScheduler Clock { get; } = VirtualTime.NewScheduler();

    public DateTimeOffset Now => Clock.Now;

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
        Clock.Schedule(state, (_, s) => action(this, s));

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
        Schedule(state, Now + dueTime, action);

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        var wait = dueTime - Now;
        if (wait <= TimeSpan.Zero)
        {
            return Clock.Schedule(state, (_, s) => action(this, s));
        }

        var early = wait / 2 < Early ? wait / 2 : Early;
        var cancel = new SingleAssignmentDisposable();
        cancel.Disposable = Clock.Schedule(state, dueTime - early, (_, s) => action(this, s));
        return cancel;
    }
}
