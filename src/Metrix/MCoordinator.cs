using System.Globalization;
using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace Metrix;

/// <summary>
/// The entry point: routes each <see cref="Send(string, double, IReadOnlyDictionary{string, string})"/> to the pipeline of its metric and delivers the
/// aggregated elements to every sink.
/// </summary>
/// <example>
/// <code>
/// using var mc = new MCoordinator
/// {
///     MStreams = { new MStream("wc") { Agg = { MAgg.Sum, MAgg.Mean }, WindowSize = TimeSpan.FromMinutes(5) } },
///     MSinks = { new MSinkPrinter() },
///     RateLimit = TimeSpan.FromSeconds(0.5),
/// };
/// mc.Send("wc", 42);
/// </code>
/// </example>
/// <remarks>
/// <para>Configure it with an object initializer; the order of the lines never matters. The
/// coordinator starts on its first <see cref="Send(string, double, IReadOnlyDictionary{string, string})"/>, <see cref="Timer(string, double, IReadOnlyDictionary{string, string})"/>, <see cref="Flush"/> or
/// dispose; from then on <see cref="Scheduler"/>, <see cref="RateLimit"/> and
/// <see cref="SinkQueueCapacity"/> are fixed, while streams and sinks can still be added.</para>
/// <para>All members are thread-safe. <see cref="Send(string, double, IReadOnlyDictionary{string, string})"/> never runs a sink and never waits for one.</para>
/// </remarks>
// A façade: each member validates and hands over to the stage that does the work (Ingest/,
// Delivery/, Inputs/), as Rx's Observable methods hand over to operator classes. Its members are
// grouped by concept in partial files: streams, sinks and lifetime here; settings in
// MCoordinator.Settings.cs; Send, Timer and Series in MCoordinator.Recording.cs; ListenTo in
// MCoordinator.Platform.cs.
public sealed partial class MCoordinator : IDisposable, IAsyncDisposable
{
    /// <summary>The default <see cref="SinkQueueCapacity"/>: 10,000 elements per sink.</summary>
    public const int DefaultSinkQueueCapacity = 10_000;

    // Orders configuration (adding streams, sinks, listeners) against dispose.
    private readonly Lock _configGate = new();
    private readonly PipelineContext _context = new();
    private readonly StreamRouter _router = new();
    private readonly SinkLanes _lanes;
    private readonly List<MeterBridge> _bridges = [];
    private volatile bool _disposed;
    private int _disposeStarted;
    private TimeSpan _disposeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates a coordinator with no streams and no sinks.</summary>
    public MCoordinator()
    {
        MStreams = new MStreamCollection(this);
        MSinks = new MSinkCollection(this);
        _lanes = new SinkLanes(_context);
    }

    /// <summary>The streams, one per metric name. Add with <c>MStreams = { … }</c> or <see cref="AddMStream"/>.</summary>
    public MStreamCollection MStreams { get; }

    /// <summary>The sinks. Add with <c>MSinks = { … }</c> or <see cref="AddMSink"/>.</summary>
    public MSinkCollection MSinks { get; }

    /// <summary>Adds a metric's stream. Allowed at any time, also after sending began.</summary>
    /// <param name="stream">The stream; from now on its aggregations cannot change.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream's configuration is invalid, or its name is
    /// already used in this coordinator; the message names the stream and the problem.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public void AddMStream(MStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_configGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _router.EnsureFree(stream.Name, nameof(stream));
            var pipeline = new StreamPipeline(stream, _context);
            _lanes.Merge(pipeline.Output);
            _router.Add(pipeline);
        }
    }

    /// <summary>
    /// Adds a sink. Allowed at any time; a sink added after sending began receives what is
    /// aggregated from then on.
    /// </summary>
    /// <param name="sink">The sink; one coordinator calls it from one lane, so add it once.</param>
    /// <param name="rateLimit">The minimum time between deliveries to this sink; null for <see cref="RateLimit"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rateLimit"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="sink"/> was already added.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public void AddMSink(IMSink sink, TimeSpan? rateLimit = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (rateLimit < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(rateLimit), rateLimit, $"The rate limit of sink {sink} must not be negative.");
        }

        lock (_configGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _lanes.Add(sink, rateLimit);
        }
    }

    /// <summary>
    /// Closes every open batch and window now; their partial aggregates go on to the sinks,
    /// delivered as the scheduler runs. Windows keep their alignment.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Start();
        foreach (var pipeline in _router.All)
        {
            pipeline.Flush();
        }
    }

    /// <summary>
    /// Flushes, delivers everything pending to every sink (honouring rate limits), then stops.
    /// Under a virtual-time scheduler it advances that scheduler's clock as far as the deliveries
    /// need and returns at once; in real time it waits up to <see cref="DisposeTimeout"/>. Then it
    /// disposes every sink that is <see cref="IDisposable"/> or <see cref="IAsyncDisposable"/>, in the
    /// order they were added (a sink that throws is counted in
    /// <see cref="MCoordinatorStatistics.SinkFailures"/> and logged; the others are disposed all the
    /// same): the coordinator owns its sinks, so add a sink to one coordinator only.
    /// Afterwards <see cref="Send(string, double, IReadOnlyDictionary{string, string})"/> throws <see cref="ObjectDisposedException"/>. Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (BeginDispose() is not { } lanes)
        {
            return;
        }

        _lanes.DrainAsync(lanes, _disposeTimeout).GetAwaiter().GetResult();
        SinkDisposal.DisposeAll(Array.ConvertAll(lanes, lane => lane.Sink), _context.Diagnostics);
    }

    /// <summary>The asynchronous form of <see cref="Dispose"/>: the same guarantees, without blocking a thread while sinks drain or are disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (BeginDispose() is not { } lanes)
        {
            return;
        }

        await _lanes.DrainAsync(lanes, _disposeTimeout).ConfigureAwait(false);
        await SinkDisposal.DisposeAllAsync(Array.ConvertAll(lanes, lane => lane.Sink), _context.Diagnostics).ConfigureAwait(false);
    }

    /// <summary>
    /// Describes the pipeline as a Graphviz DOT graph, like the original's <c>visualize()</c>:
    /// each stream (window or batch, default tags) feeds its aggregations, which merge and go to
    /// every sink (with its rate limit). Render with <c>dot -Tpng</c>.
    /// </summary>
    public string ToDot()
    {
        lock (_configGate)
        {
            return PipelineGraph.ToDot(_router.All, _lanes.Snapshot());
        }
    }

    /// <summary>Describes the streams and the sinks with their rate limits.</summary>
    public override string ToString()
    {
        SinkLane[] lanes;
        lock (_configGate)
        {
            lanes = _lanes.Snapshot();
        }

        var sinks = Array.ConvertAll(lanes, lane => lane.RateLimit > TimeSpan.Zero
            ? $"{lane.Sink} rate_limit={lane.RateLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
            : lane.Sink.ToString());
        return $"MCoordinator(streams=[{string.Join(", ", _router.All.Select(s => s.Config))}], sinks=[{string.Join(", ", sinks)}])";
    }

    internal StreamPipeline Stream(string name) => _router.Find(name);

    internal bool HasStream(string name) => _router.Contains(name);

    /// <summary>The window size of the stream <paramref name="name"/>; null when it has none or counts batches.</summary>
    internal TimeSpan? WindowOf(string name) => _router.TryGet(name, out var pipeline) ? pipeline.Config.WindowSize : null;

    internal IReadOnlyList<MStream> StreamConfigs() => Array.ConvertAll(_router.All, s => s.Config);

    internal IReadOnlyList<IMSink> Sinks()
    {
        lock (_configGate)
        {
            return Array.ConvertAll(_lanes.Snapshot(), lane => lane.Sink);
        }
    }

    /// <summary>Freezes the settings on the first use (a send, a timer, a flush, a dispose).</summary>
    internal void Start()
    {
        if (!_context.IsStarted)
        {
            _context.Start();
        }
    }

    /// <summary>
    /// Starts disposing, once: refuses further configuration and sends, stops following
    /// instruments, completes every stream (which closes its last batch) and then the merge (which
    /// completes every lane). Returns the lanes to drain; null when dispose had already begun.
    /// </summary>
    private SinkLane[]? BeginDispose()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) == 1)
        {
            return null;
        }

        SinkLane[] lanes;
        MeterBridge[] bridges;
        lock (_configGate)
        {
            _disposed = true;
            lanes = _lanes.Snapshot();
            bridges = [.. _bridges];
        }

        Start();

        // Stop following instruments first: nothing new arrives while the last windows close.
        foreach (var bridge in bridges)
        {
            bridge.Dispose();
        }

        foreach (var stream in _router.All)
        {
            stream.Complete();
        }

        _lanes.Complete();
        return lanes;
    }
}
