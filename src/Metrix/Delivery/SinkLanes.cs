using System.Diagnostics.CodeAnalysis;
using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace Metrix.Delivery;

/// <summary>
/// A coordinator's delivery stage: the aggregates of every stream merge into one sequence, and
/// each sink has a lane subscribed to it. At shutdown the merge completes, every lane delivers what
/// it holds, and <see cref="DrainAsync"/> waits for that (or counts what is left).
/// </summary>
/// <remarks>
/// <see cref="Merge"/>, <see cref="Add"/> and <see cref="Snapshot"/> run under the coordinator's
/// configuration lock, which also orders them against shutdown; the lanes themselves are
/// thread-safe. The merge serializes streams that close batches on different threads, so a lane
/// never sees concurrent <c>OnNext</c>.
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The subject is completed by Complete() at shutdown, which releases its observers; the merge's connection is disposed by DrainAsync.")]
internal sealed class SinkLanes
{
    private readonly PipelineContext _context;
    private readonly Subject<IObservable<IReadOnlyList<MElement>>> _outputs = new();
    private readonly IConnectableObservable<IReadOnlyList<MElement>> _merged;
    private readonly IDisposable _connection;
    private readonly List<SinkLane> _lanes = [];
    private readonly List<IDisposable> _subscriptions = [];

    public SinkLanes(PipelineContext context)
    {
        _context = context;
        _merged = _outputs.Merge().Publish();
        _connection = _merged.Connect();
    }

    /// <summary>Merges a stream's aggregated elements into what every lane receives.</summary>
    public void Merge(IObservable<IReadOnlyList<MElement>> output) => _outputs.OnNext(output);

    /// <summary>Gives <paramref name="sink"/> a lane, paced by <paramref name="rateLimit"/> (null: the coordinator's default).</summary>
    /// <exception cref="ArgumentException"><paramref name="sink"/> already has a lane.</exception>
    public void Add(IMSink sink, TimeSpan? rateLimit)
    {
        if (_lanes.Exists(lane => ReferenceEquals(lane.Sink, sink)))
        {
            throw new ArgumentException($"Sink {sink} was already added to this coordinator; a sink is added once.", nameof(sink));
        }

        var lane = new SinkLane(sink, rateLimit, _context);
        _lanes.Add(lane);
        _subscriptions.Add(_merged.Subscribe(lane));
    }

    /// <summary>The lanes, in the order their sinks were added.</summary>
    public SinkLane[] Snapshot() => [.. _lanes];

    /// <summary>Ends the merge, once every stream has completed: each lane then delivers what it holds and reports <see cref="SinkLane.Drained"/>.</summary>
    public void Complete() => _outputs.OnCompleted();

    /// <summary>
    /// Waits until <paramref name="lanes"/> have delivered everything (advancing a virtual-time
    /// scheduler as far as they need), at most <paramref name="timeout"/> in real time; then counts
    /// and logs what a lane still holds, and disconnects every lane. Never faults.
    /// </summary>
    public async Task DrainAsync(SinkLane[] lanes, TimeSpan timeout)
    {
        await LaneDrain.UntilDrained(_context.Scheduler, lanes, timeout).ConfigureAwait(false);
        foreach (var lane in lanes)
        {
            if (!lane.Drained.IsCompleted)
            {
                lane.Abandon($"the coordinator's dispose did not finish delivering within DisposeTimeout ({timeout})");
            }
        }

        _subscriptions.ForEach(subscription => subscription.Dispose());
        _connection.Dispose();
    }
}
