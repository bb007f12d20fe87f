namespace Metrix;

/// <summary>
/// Keeps each series' timestamps strictly increasing in the protocol's unit, so that two points of
/// one series (two short windows, or a flush and a window close, in the same second) never
/// overwrite each other in the database: a point that would share or precede its series' last
/// timestamp moves to the next free unit. Called from one thread at a time (the sink's lane).
/// </summary>
internal sealed class SeriesClock
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Returns the timestamp to use for <paramref name="seriesKey"/> and records it.</summary>
    public long Next(string seriesKey, long timestamp)
    {
        lock (_gate)
        {
            if (_last.TryGetValue(seriesKey, out var last) && timestamp <= last)
            {
                timestamp = last + 1;
            }

            _last[seriesKey] = timestamp;
            return timestamp;
        }
    }
}
