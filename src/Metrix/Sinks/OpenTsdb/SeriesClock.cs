namespace Metrix;

/// <summary>
/// Stamps each series' points in the protocol's unit (seconds over telnet, milliseconds over HTTP)
/// so that two points of one series never share a timestamp (the database would keep one), and
/// never drift from the clock: a point is stamped with its time rounded down, or, when that is
/// taken, one unit later; a point that would need more is refused, for the caller to count and
/// report. So with windows shorter than the unit, about one point per unit is stored, each within
/// one unit of its window's close.
/// </summary>
/// <remarks>Series quiet for longer than the horizon are forgotten, so memory follows the series
/// written recently, not all the series ever written. Thread-safe.</remarks>
internal sealed class SeriesClock
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly long _horizon;
    private long _newest = long.MinValue;
    private long _prunedAt = long.MinValue;

    /// <param name="horizon">How many units behind the newest point a series is still remembered.</param>
    public SeriesClock(long horizon) => _horizon = horizon;

    /// <summary>The series remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _last.Count;
            }
        }
    }

    /// <summary>Stamps a point of <paramref name="series"/> measured at <paramref name="floor"/> (its time in units, rounded down).</summary>
    /// <returns>False when the series' last point already holds the two stamps the point could take.</returns>
    public bool TryNext(string series, long floor, out long stamp)
    {
        lock (_gate)
        {
            stamp = floor;
            if (_last.TryGetValue(series, out var last) && last >= floor)
            {
                if (last > floor)
                {
                    return false;
                }

                stamp = floor + 1;
            }

            _last[series] = stamp;
            PruneLocked(stamp);
            return true;
        }
    }

    private void PruneLocked(long stamp)
    {
        _newest = Math.Max(_newest, stamp);
        if (_prunedAt == long.MinValue)
        {
            _prunedAt = _newest;
        }
        else if (_newest - _prunedAt >= _horizon)
        {
            var oldest = _newest - _horizon;
            foreach (var (series, last) in _last)
            {
                if (last < oldest)
                {
                    _last.Remove(series);
                }
            }

            _prunedAt = _newest;
        }
    }
}
