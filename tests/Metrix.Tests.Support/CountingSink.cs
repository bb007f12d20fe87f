namespace Metrix.Tests.Support;

/// <summary>Counts what it receives without keeping it, so that a long run's sink does not grow. Thread-safe.</summary>
public sealed class CountingSink(string requiredTag) : IMSink
{
    private long _count;
    private long _withoutTag;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Elements without <c>requiredTag</c> (say, folded into overflow).</summary>
    public long WithoutTag => Interlocked.Read(ref _withoutTag);

    public void Emit(MElement element)
    {
        Interlocked.Increment(ref _count);
        if (element.Tags is null || !element.Tags.ContainsKey(requiredTag))
        {
            Interlocked.Increment(ref _withoutTag);
        }
    }
}
