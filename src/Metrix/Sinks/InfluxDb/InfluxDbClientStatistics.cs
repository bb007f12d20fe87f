namespace Metrix;

/// <summary>A snapshot of what an <see cref="InfluxDbClient"/> has written and lost. Every count only grows.</summary>
public sealed class InfluxDbClientStatistics
{
    internal InfluxDbClientStatistics(long written, long dropped, long failedWrites)
    {
        Written = written;
        Dropped = dropped;
        FailedWrites = failedWrites;
    }

    /// <summary>Points the server acknowledged.</summary>
    public long Written { get; }

    /// <summary>
    /// Points that will never be written: a value InfluxDB cannot store (NaN, infinity), a buffer that
    /// stayed full, points the server refused (the lines a partial write dropped), or a dispose that
    /// gave up. Logged: skipped values once per series, the others each time.
    /// </summary>
    public long Dropped { get; }

    /// <summary>Write attempts that failed and were retried after a backoff (connection refused, a 5xx, timed out).</summary>
    public long FailedWrites { get; }

    /// <summary>The counts, for logs.</summary>
    public override string ToString() => $"written={Written}, dropped={Dropped}, failed_writes={FailedWrites}";
}
