namespace Metrix.Sinks.Writing;

/// <summary>
/// Waits between reconnection attempts: doubling from <c>initial</c> up to <c>max</c>, each wait
/// drawn between half and all of that (equal jitter), so many clients that lost one server do not
/// come back in step.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, Func<double> random)
{
    private TimeSpan _ceiling = TimeSpan.Zero;

    /// <summary>Failed attempts since the last success.</summary>
    public int Failures { get; private set; }

    /// <summary>The wait before the next attempt, after one more failure.</summary>
    public TimeSpan Next()
    {
        Failures++;
        var ceiling = _ceiling == TimeSpan.Zero ? initial : _ceiling;
        _ceiling = TimeSpan.FromTicks(Math.Min(ceiling.Ticks * 2, max.Ticks));
        return TimeSpan.FromTicks((ceiling.Ticks / 2) + (long)(ceiling.Ticks / 2 * random()));
    }

    /// <summary>After a success: the next failure waits about <c>initial</c> again.</summary>
    public void Reset()
    {
        Failures = 0;
        _ceiling = TimeSpan.Zero;
    }
}
