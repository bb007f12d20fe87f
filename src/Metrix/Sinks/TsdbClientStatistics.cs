namespace Metrix;

/// <summary>
/// A snapshot of what a database client (<see cref="OpenTsdbClient"/>, <see cref="InfluxDbClient"/>)
/// has written and lost. Every count only grows.
/// </summary>
public sealed class TsdbClientStatistics
{
    internal TsdbClientStatistics(long written, long dropped, long failedWrites)
    {
        Written = written;
        Dropped = dropped;
        FailedWrites = failedWrites;
    }

    /// <summary>Points written to the server (over HTTP: acknowledged by it).</summary>
    public long Written { get; }

    /// <summary>
    /// Points that will never be written: a value the database cannot store (NaN, infinity), a
    /// point its series had no timestamp left for (OpenTSDB, windows shorter than the protocol's
    /// unit), a buffer that stayed full, points the server refused, or a dispose that gave up.
    /// Logged: skipped points once per series, the others each time.
    /// </summary>
    public long Dropped { get; }

    /// <summary>Write attempts that failed and were retried after a backoff (connection refused, reset, timed out, a 5xx).</summary>
    public long FailedWrites { get; }

    /// <summary>The counts, for logs.</summary>
    public override string ToString() => $"written={Written}, dropped={Dropped}, failed_writes={FailedWrites}";
}
