namespace Metrix.Tests.Support;

/// <summary>
/// Runs a real-time test's busy work on threads of its own, awaited rather than joined. A test body
/// runs on a thread-pool thread; keeping it busy (or blocked in <c>Join</c>) takes a pool thread
/// away from the timers that close windows, and on a 2-core machine the pool then waits about half
/// a second before it adds one. Awaiting gives the test's pool thread back.
/// </summary>
public static class DedicatedThreads
{
    /// <summary>Runs <paramref name="work"/>(i) on <paramref name="count"/> new threads; completes when all have, faulting with any failure.</summary>
    public static Task Run(int count, Action<int> work) => Task.WhenAll(Enumerable.Range(0, count).Select(i => Start(() => work(i))));

    /// <summary>Runs <paramref name="work"/> on a new thread; completes when it has, faulting with its failure.</summary>
    public static Task Start(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
        };
        thread.Start();
        return done.Task;
    }
}
