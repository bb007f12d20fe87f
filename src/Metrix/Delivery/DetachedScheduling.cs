using System.Reactive.Concurrency;

namespace Metrix.Delivery;

/// <summary>
/// Schedules the pipeline's timed work (a window's close, a paced delivery to a sink).
/// </summary>
/// <remarks>
/// <para><b>Without the caller's context.</b> Work scheduled from inside a <c>Send</c> would otherwise
/// capture the sender's <see cref="ExecutionContext"/>: its AsyncLocal values, <c>Activity.Current</c>
/// and logging scopes would be visible in sinks, and kept alive until the work ran.</para>
/// <para><b>By a relative due time.</b> Every caller checks the scheduler's clock when its work runs
/// and waits again if it came early, so the work needs no absolute-time machinery: the real-time
/// scheduler's absolute scheduling (a shared queue and a system-clock monitor) only adds parts that
/// can fail under load. Waits are capped at <see cref="LongestWait"/>, beyond which timers cannot
/// count; the caller then finds itself early and waits again.</para>
/// </remarks>
internal static class DetachedScheduling
{
    /// <summary>The longest single wait; longer ones are made of several.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    /// <summary>How long work whose timer fired early waits at least before it looks again, so it never spins.</summary>
    public static readonly TimeSpan EarlyTimerRetry = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Schedules again work that ran before <paramref name="dueTime"/> by the scheduler's clock
    /// (real timers can fire a little early): at its due time, and not sooner than
    /// <see cref="EarlyTimerRetry"/> from now.
    /// </summary>
    public static IDisposable ScheduleAgain(this IScheduler scheduler, DateTimeOffset dueTime, Action action)
    {
        var retry = scheduler.Now + EarlyTimerRetry;
        return scheduler.ScheduleDetached(dueTime > retry ? dueTime : retry, action);
    }

    public static IDisposable ScheduleDetached(this IScheduler scheduler, DateTimeOffset dueTime, Action action)
    {
        var wait = dueTime - scheduler.Now;
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait;
        if (ExecutionContext.IsFlowSuppressed())
        {
            return scheduler.Schedule(wait, action);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return scheduler.Schedule(wait, action);
        }
    }
}
