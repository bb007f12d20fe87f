using System.Reactive.Concurrency;

namespace Metrix.Delivery;

/// <summary>
/// Waits, at dispose, until every lane has delivered what it holds: under a virtual-time scheduler
/// by advancing its clock exactly as far as the deliveries need (so dispose returns at once); in
/// real time by waiting for the lanes, at most the dispose timeout. Shared by <c>Dispose</c> and
/// <c>DisposeAsync</c>, which differ only in how they wait for the returned task.
/// </summary>
internal static class LaneDrain
{
    /// <summary>A task that completes when the lanes are drained or the timeout has passed; it never faults (what is left is counted afterwards).</summary>
    public static Task UntilDrained(IScheduler scheduler, SinkLane[] lanes, TimeSpan timeout)
    {
        if (scheduler is VirtualTimeSchedulerBase<DateTimeOffset, TimeSpan> virtualTime)
        {
            AdvanceUntilDrained(virtualTime, lanes);
            return Task.CompletedTask;
        }

        return Task.WhenAll(Array.ConvertAll(lanes, lane => lane.Drained))
            .WaitAsync(timeout)
            .ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Moves virtual time forward exactly as far as the lanes' pending deliveries need: to each next
    /// due time, or by one tick when a delivery is due now (virtual schedulers run nothing on a
    /// zero advance).
    /// </summary>
    private static void AdvanceUntilDrained(VirtualTimeSchedulerBase<DateTimeOffset, TimeSpan> scheduler, SinkLane[] lanes)
    {
        while (true)
        {
            DateTimeOffset? next = null;
            foreach (var lane in lanes)
            {
                if (!lane.Drained.IsCompleted && lane.NextDue is { } due && (next is null || due < next))
                {
                    next = due;
                }
            }

            if (next is null)
            {
                return;
            }

            if (next > scheduler.Now)
            {
                scheduler.AdvanceTo(next.Value);
            }
            else
            {
                scheduler.AdvanceBy(TimeSpan.FromTicks(1));
            }
        }
    }
}
