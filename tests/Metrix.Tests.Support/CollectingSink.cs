using System.Reactive.Concurrency;

namespace Metrix.Tests.Support;

/// <summary>Records every element with the scheduler time it arrived. Thread-safe.</summary>
public sealed class CollectingSink : IMSink
{
    private readonly object _gate = new();
    private readonly List<(MElement Element, DateTimeOffset At)> _received = [];
    private readonly IScheduler? _clock;

    public CollectingSink(IScheduler? clock = null) => _clock = clock;

    public IReadOnlyList<MElement> Elements
    {
        get
        {
            lock (_gate)
            {
                return _received.ConvertAll(r => r.Element);
            }
        }
    }

    public IReadOnlyList<DateTimeOffset> Times
    {
        get
        {
            lock (_gate)
            {
                return _received.ConvertAll(r => r.At);
            }
        }
    }

    public void Emit(MElement element)
    {
        lock (_gate)
        {
            _received.Add((element, _clock?.Now ?? default));
        }
    }
}
