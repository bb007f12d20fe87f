using System.Reactive.Concurrency;

namespace Metrix.Tests.Support;

/// <summary>A virtual clock and the coordinators built on it, for one test.</summary>
public sealed class HistoricalSchedulerFixture
{
    public HistoricalScheduler Clock { get; } = VirtualTime.NewScheduler();

    /// <summary>A coordinator on <see cref="Clock"/> with one sink and the given streams.</summary>
    public MCoordinator Coordinator(IMSink sink, params MStream[] streams)
    {
        var mc = new MCoordinator { MSinks = { sink }, Scheduler = Clock };
        foreach (var stream in streams)
        {
            mc.AddMStream(stream);
        }

        return mc;
    }

    /// <summary>Runs what is due now (a virtual clock runs nothing on a zero advance).</summary>
    public void Tick() => Clock.AdvanceBy(TimeSpan.FromTicks(1));

    public void AdvanceToSeconds(double seconds) => Clock.AdvanceToSeconds(seconds);

    public double NowSeconds => Clock.Now.SecondsSinceStart();
}
