using System.Reactive.Concurrency;

namespace Metrix.Tests.Support;

/// <summary>A virtual clock for tests, starting at a fixed instant so times read well in failures.</summary>
public static class VirtualTime
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static HistoricalScheduler NewScheduler() => new(Start);

    /// <summary>Seconds since <see cref="Start"/>, for readable assertions on arrival times.</summary>
    public static double SecondsSinceStart(this DateTimeOffset time) => (time - Start).TotalSeconds;

    public static void AdvanceBySeconds(this HistoricalScheduler scheduler, double seconds) =>
        scheduler.AdvanceBy(TimeSpan.FromSeconds(seconds));

    public static void AdvanceToSeconds(this HistoricalScheduler scheduler, double seconds) =>
        scheduler.AdvanceTo(Start + TimeSpan.FromSeconds(seconds));
}
