using System.Diagnostics;

namespace Metrix.Tests.Support;

/// <summary>
/// Waits, bounded, for a precondition that another thread establishes (a client's failed write
/// while its server is down, say): a test that needs it states it instead of hoping for it.
/// </summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (bound ?? TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"Waited {clock.Elapsed.TotalSeconds:F1} s for {what}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Reads until at least <paramref name="count"/> items are there or the bound passes, and
    /// returns the last read: servers make writes visible a moment after acknowledging (or, for
    /// protocols that never acknowledge, after processing) them.
    /// </summary>
    public static async Task<IReadOnlyList<T>> ReadUntilAsync<T>(Func<Task<IReadOnlyList<T>>> read, int count, TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var items = await read();
            if (items.Count >= count || clock.Elapsed > (bound ?? TimeSpan.FromSeconds(15)))
            {
                return items;
            }

            await Task.Delay(50);
        }
    }
}
