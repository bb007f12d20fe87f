namespace Metrix;

/// <summary>A snapshot of what an <see cref="OpenTsdbClient"/> has written and lost. Every count only grows.</summary>
public sealed class OpenTsdbClientStatistics
{
    internal OpenTsdbClientStatistics(long written, long dropped, long failedWrites)
    {
        Written = written;
        Dropped = dropped;
        FailedWrites = failedWrites;
    }

    /// <summary>Points written to the server (over HTTP: acknowledged by it).</summary>
    public long Written { get; }

    /// <summary>Points that will never be written: the buffer stayed full, the server rejected them, or dispose gave up. Each drop is logged.</summary>
    public long Dropped { get; }

    /// <summary>Write attempts that failed and were retried after a backoff (connection refused, reset, timed out).</summary>
    public long FailedWrites { get; }

    /// <summary>The counts, for logs.</summary>
    public override string ToString() => $"written={Written}, dropped={Dropped}, failed_writes={FailedWrites}";
}
