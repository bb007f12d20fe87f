namespace Metrix.Tests.Support;

/// <summary>A sink that throws on every element, counting the calls.</summary>
public sealed class ThrowingSink : IMSink
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void Emit(MElement element)
    {
        Interlocked.Increment(ref _calls);
        throw new InvalidOperationException("sink failure for " + element.Name);
    }
}
