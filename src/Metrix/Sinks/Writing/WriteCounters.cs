namespace Metrix.Sinks.Writing;

/// <summary>What a client has written and lost. Thread-safe; every count only grows.</summary>
internal sealed class WriteCounters
{
    private long _written;
    private long _dropped;
    private long _failedWrites;

    public long Written => Interlocked.Read(ref _written);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long FailedWrites => Interlocked.Read(ref _failedWrites);

    public void AddWritten(long count) => Interlocked.Add(ref _written, count);

    public void AddDropped(long count) => Interlocked.Add(ref _dropped, count);

    public void AddFailedWrite() => Interlocked.Increment(ref _failedWrites);

    public TsdbClientStatistics Snapshot() => new(Written, Dropped, FailedWrites);
}
