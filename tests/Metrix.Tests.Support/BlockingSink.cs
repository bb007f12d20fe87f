namespace Metrix.Tests.Support;

/// <summary>A slow sink: each call blocks until the test releases it. Records what it received.</summary>
public sealed class BlockingSink : IMSink, IDisposable
{
    private readonly ManualResetEventSlim _release = new(false);
    private readonly CollectingSink _received = new();

    public ManualResetEventSlim Entered { get; } = new(false);

    public IReadOnlyList<MElement> Elements => _received.Elements;

    public void Release() => _release.Set();

    public void Emit(MElement element)
    {
        Entered.Set();
        _release.Wait(TimeSpan.FromSeconds(30));
        _received.Emit(element);
    }

    public void Dispose()
    {
        _release.Dispose();
        Entered.Dispose();
    }
}
