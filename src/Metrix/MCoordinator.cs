using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Runtime.CompilerServices;
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
public sealed class MCoordinator : IDisposable, IAsyncDisposable
{
    /// <summary>The default <see cref="SinkQueueCapacity"/>: 10,000 elements per sink.</summary>
    public const int DefaultSinkQueueCapacity = 10_000;

    private readonly Lock _configGate = new();
    private readonly PipelineContext _context = new();
    private readonly Subject<IObservable<IReadOnlyList<MElement>>> _outputs = new();
    private readonly IConnectableObservable<IReadOnlyList<MElement>> _merged;
    private readonly IDisposable _mergedConnection;
    private readonly List<StreamPipeline> _streams = [];
    private readonly List<SinkLane> _lanes = [];
    private readonly List<IDisposable> _laneSubscriptions = [];
    private readonly List<MeterBridge> _bridges = [];
    private readonly StreamRouter _router = new();
    private volatile bool _disposed;
    private int _disposeStarted;
    private TimeSpan _disposeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates a coordinator with no streams and no sinks.</summary>
    public MCoordinator()
    {
        MStreams = new MStreamCollection(this);
        MSinks = new MSinkCollection(this);

        // The aggregates of every metric merge into one stream (Merge serializes metrics that
        // close batches on different threads); each sink's lane subscribes to it.
        _merged = _outputs.Merge().Publish();
        _mergedConnection = _merged.Connect();
    }

    /// <summary>The streams, one per metric name. Add with <c>MStreams = { … }</c> or <see cref="AddMStream"/>.</summary>
    public MStreamCollection MStreams { get; }

    /// <summary>The sinks. Add with <c>MSinks = { … }</c> or <see cref="AddMSink"/>.</summary>
    public MSinkCollection MSinks { get; }

    /// <summary>
    /// Tags on every element of every stream, overridden by a stream's
    /// <see cref="MStream.DefaultTags"/>, which the tags of a send override in turn. Typical use:
    /// <c>["instance"] = "web-3"</c>, so that several processes writing one database never write
    /// the same series. Copied when set. Default: none.
    /// </summary>
    /// <remarks>They are added to the aggregated elements, so they do not count toward
    /// <see cref="MStream.MaxTagSets"/> and <see cref="MSeries.Tags"/> does not show them.</remarks>
    /// <exception cref="ArgumentException">A key is null or empty, or a value is null.</exception>
    /// <exception cref="InvalidOperationException">The coordinator has started.</exception>
    public IReadOnlyDictionary<string, string>? CommonTags
    {
        get => _context.CommonTags.Count == 0 ? null : _context.CommonTags;
        set => _context.CommonTags = TagSet.From(value, nameof(CommonTags));
    }

    /// <summary>
    /// The rate limit of sinks added without their own: consecutive deliveries to such a sink are
    /// at least this far apart on <see cref="Scheduler"/>'s clock. Paces; never drops.
    /// Default: null (no limit).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    /// <exception cref="InvalidOperationException">The coordinator has started.</exception>
    public TimeSpan? RateLimit
    {
        get => _context.DefaultRateLimit;
        set => _context.DefaultRateLimit = value;
    }

    /// <summary>
    /// Makes every timing decision: windows, rate limits, timers and delivery to sinks. Windows are
    /// aligned to this scheduler's clock at the moment it is set. Default:
    /// <see cref="DefaultScheduler.Instance"/> (real time, thread pool). Tests pass a
    /// <see cref="HistoricalScheduler"/> and advance it.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentException">The value runs work on the calling thread
    /// (<see cref="ImmediateScheduler"/>, <see cref="CurrentThreadScheduler"/>).</exception>
    /// <exception cref="InvalidOperationException">The coordinator has started.</exception>
    public IScheduler Scheduler
    {
        get => _context.Scheduler;
        set => _context.Scheduler = value;
    }

    /// <summary>
    /// Where the coordinator reports its own trouble: a sink or an aggregation that threw, elements
    /// dropped. Can change at any time. Default: a logger that discards everything.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public ILogger Logger
    {
        get => _context.Diagnostics.Logger;
        set => _context.Diagnostics.Logger = value;
    }

    /// <summary>
    /// How many elements each sink's queue holds before further elements for that sink are dropped
    /// (counted in <see cref="Statistics"/> and logged). Default: <see cref="DefaultSinkQueueCapacity"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The coordinator has started.</exception>
    public int SinkQueueCapacity
    {
        get => _context.SinkQueueCapacity;
        set => _context.SinkQueueCapacity = value;
    }

    /// <summary>
    /// How long <see cref="Dispose"/> and <see cref="DisposeAsync"/> wait, in real time, for the
    /// sinks to receive what is pending; what is still queued then is counted as dropped and logged.
    /// Not used under a virtual-time scheduler, whose clock dispose advances instead. Default: 30 s.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan DisposeTimeout
    {
        get => _disposeTimeout;
        set
        {
            if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(DisposeTimeout), value, "DisposeTimeout must not be negative.");
            }

            _disposeTimeout = value;
        }
    }

    /// <summary>What has been delivered, and what failed or was dropped, so far.</summary>
    public MCoordinatorStatistics Statistics => _context.Diagnostics.Snapshot();

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
            if (_router.Contains(stream.Name))
            {
                throw new ArgumentException(
                    $"MStream '{stream.Name}': this coordinator already has a stream of that name.", nameof(stream));
            }

            var pipeline = new StreamPipeline(stream, _context);
            _outputs.OnNext(pipeline.Output);
            _streams.Add(pipeline);
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
            if (_lanes.Exists(lane => ReferenceEquals(lane.Sink, sink)))
            {
                throw new ArgumentException(
                    $"Sink {sink} was already added to this coordinator; a sink is added once.", nameof(sink));
            }

            var lane = new SinkLane(sink, rateLimit, _context);
            _lanes.Add(lane);
            _laneSubscriptions.Add(_merged.Subscribe(lane));
        }
    }

    /// <summary>
    /// Sends one value of the metric <paramref name="name"/>. Thread-safe; never runs a sink on the
    /// calling thread and never waits for one.
    /// </summary>
    /// <param name="name">The metric name, routed to the stream of that name.</param>
    /// <param name="value">The value; a finite number.</param>
    /// <param name="tags">Tags that override and extend the stream's default tags; read once (one
    /// enumeration, whatever other threads do to it meanwhile), not kept.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No stream has that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    /// <exception cref="ArgumentException">A tag key is null or empty, or a tag value is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    /// <remarks>A call that throws changes nothing. Work it schedules (a window's close, a delivery)
    /// does not carry the caller's <see cref="ExecutionContext"/>: sinks never see a sender's
    /// AsyncLocal values, <c>Activity</c> or logging scopes.</remarks>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The API contract fixes this form and adds a tuple form of as many parameters; OverloadResolutionPriority keeps every call of the earlier form meaning what it meant.")]
    [OverloadResolutionPriority(1)]
    public void Send(string name, double value, IReadOnlyDictionary<string, string>? tags = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pipeline = _router.Find(name);
        ThrowIfNotFinite(name, value, nameof(value));
        var series = tags is null ? pipeline.Tags.Untagged : pipeline.Tags.Resolve(tags, nameof(tags));
        Start();
        if (!pipeline.TryPost(value, ref series))
        {
            throw new ObjectDisposedException(nameof(MCoordinator));
        }
    }

    /// <summary>
    /// Starts a timer of the metric <paramref name="name"/>: disposing the returned handle sends the
    /// elapsed seconds × <paramref name="scale"/>, measured on <see cref="Scheduler"/>'s clock.
    /// </summary>
    /// <example><c>using (mc.Timer("latency", scale: 1000)) { Work(); } // sends milliseconds</c></example>
    /// <param name="name">The metric name, routed to the stream of that name.</param>
    /// <param name="scale">Multiplies the elapsed seconds (1000 gives milliseconds); finite.</param>
    /// <param name="tags">Tags that override and extend the stream's default tags; read once, now, not kept.</param>
    /// <returns>A handle that sends once, on its first dispose. If the coordinator was disposed in
    /// the meantime, the value is counted as dropped and logged instead.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No stream has that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is NaN or infinite.</exception>
    /// <exception cref="ArgumentException">A tag key is null or empty, or a tag value is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    [SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads", Justification = "The API contract fixes this form and adds a tuple form of as many parameters; OverloadResolutionPriority keeps every call of the earlier form meaning what it meant.")]
    [OverloadResolutionPriority(1)]
    public IDisposable Timer(string name, double scale = 1, IReadOnlyDictionary<string, string>? tags = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pipeline = _router.Find(name);
        ThrowIfNotFinite(name, scale, nameof(scale));
        return StartTimer(pipeline, scale, pipeline.Tags.Resolve(tags, nameof(tags)));
    }

    /// <summary>
    /// Sends one value of the metric <paramref name="name"/>, with tags as <c>(key, value)</c> pairs:
    /// <c>mc.Send("latency", 12.5, ("route", "/home"), ("status", "200"))</c>. Allocates nothing.
    /// Thread-safe; never runs a sink on the calling thread and never waits for one.
    /// </summary>
    /// <param name="name">The metric name, routed to the stream of that name.</param>
    /// <param name="value">The value; a finite number.</param>
    /// <param name="tags">Tags that override and extend the stream's default tags, in any order; not kept.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No stream has that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    /// <exception cref="ArgumentException">A tag key is null, empty or given twice, or a tag value is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    /// <remarks>The same rules as the dictionary form; a call that throws changes nothing.</remarks>
    public void Send(string name, double value, params ReadOnlySpan<(string Key, string Value)> tags)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pipeline = _router.Find(name);
        ThrowIfNotFinite(name, value, nameof(value));
        var series = pipeline.Tags.Resolve(tags, nameof(tags));
        Start();
        if (!pipeline.TryPost(value, ref series))
        {
            throw new ObjectDisposedException(nameof(MCoordinator));
        }
    }

    /// <summary>
    /// Starts a timer of the metric <paramref name="name"/> with tags as <c>(key, value)</c> pairs:
    /// <c>using (mc.Timer("latency", 1000, ("route", "/home"))) { … }</c>.
    /// </summary>
    /// <inheritdoc cref="Timer(string, double, IReadOnlyDictionary{string, string})"/>
    /// <exception cref="ArgumentException">A tag key is null, empty or given twice, or a tag value is null.</exception>
    public IDisposable Timer(string name, double scale, params ReadOnlySpan<(string Key, string Value)> tags)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pipeline = _router.Find(name);
        ThrowIfNotFinite(name, scale, nameof(scale));
        return StartTimer(pipeline, scale, pipeline.Tags.Resolve(tags, nameof(tags)));
    }

    /// <summary>
    /// Binds the metric <paramref name="name"/> and a tag set once, for sends that look nothing up:
    /// <c>var home = mc.Series("latency", ("route", "/home")); home.Send(12.5);</c>.
    /// </summary>
    /// <param name="name">The metric name.</param>
    /// <param name="tags">Tags that override and extend the stream's default tags, in any order; copied.</param>
    /// <returns>The bound series: thread-safe, usable as long as the coordinator is.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">No stream has that name.</exception>
    /// <exception cref="ArgumentException">A tag key is null, empty or given twice, or a tag value is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public MSeries Series(string name, params ReadOnlySpan<(string Key, string Value)> tags)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pipeline = _router.Find(name);
        return new MSeries(this, pipeline, pipeline.Tags.Merge(tags, nameof(tags)));
    }

    /// <summary>Binds the metric <paramref name="name"/> and the tag set of a dictionary once (read once, copied).</summary>
    /// <inheritdoc cref="Series(string, ReadOnlySpan{ValueTuple{string, string}})"/>
    [OverloadResolutionPriority(1)]
    public MSeries Series(string name, IReadOnlyDictionary<string, string>? tags)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pipeline = _router.Find(name);
        return new MSeries(this, pipeline, TagSet.Merge(pipeline.Config.DefaultTagSet, TagSet.From(tags, nameof(tags)).Pairs, nameof(tags)));
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
        foreach (var pipeline in StreamPipelines())
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
        if (!BeginDispose(out var lanes))
        {
            return;
        }

        LaneDrain.UntilDrained(_context.Scheduler, lanes, _disposeTimeout).Wait();
        EndDispose(lanes);
        SinkDisposal.DisposeAll(Array.ConvertAll(lanes, lane => lane.Sink), _context.Diagnostics);
    }

    /// <summary>The asynchronous form of <see cref="Dispose"/>: the same guarantees, without blocking a thread while sinks drain or are disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginDispose(out var lanes))
        {
            return;
        }

        await LaneDrain.UntilDrained(_context.Scheduler, lanes, _disposeTimeout).ConfigureAwait(false);
        EndDispose(lanes);
        await SinkDisposal.DisposeAllAsync(Array.ConvertAll(lanes, lane => lane.Sink), _context.Diagnostics).ConfigureAwait(false);
    }

    /// <summary>
    /// Follows the instruments of the <see cref="Meter"/> named <paramref name="meterName"/>: each
    /// measurement becomes a <see cref="Send(string, double, IReadOnlyDictionary{string, string})"/> to the stream named like the instrument, with the
    /// measurement's tags (values turned into invariant strings).
    /// </summary>
    /// <returns>A handle that stops following when disposed; disposing the coordinator stops it too.</returns>
    /// <inheritdoc cref="ListenTo(Func{Instrument, bool}, MeterListenOptions)" path="/remarks"/>
    /// <exception cref="ArgumentException"><paramref name="meterName"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public IDisposable ListenTo(string meterName) => ListenTo(meterName, MeterListenOptions.Default);

    /// <summary>
    /// Follows the instruments of the <see cref="Meter"/> named <paramref name="meterName"/>, mapped
    /// to streams and filtered by <paramref name="options"/>.
    /// </summary>
    /// <returns>A handle that stops following when disposed; disposing the coordinator stops it too.</returns>
    /// <inheritdoc cref="ListenTo(Func{Instrument, bool}, MeterListenOptions)" path="/remarks"/>
    /// <exception cref="ArgumentException"><paramref name="meterName"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public IDisposable ListenTo(string meterName, MeterListenOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(meterName);
        return ListenTo(instrument => instrument.Meter.Name == meterName, options);
    }

    /// <summary>
    /// Follows every instrument (System.Diagnostics.Metrics) for which <paramref name="predicate"/>
    /// is true, such as the runtime's or ASP.NET Core's: each measurement becomes a
    /// <see cref="Send(string, double, IReadOnlyDictionary{string, string})"/> to the stream named like the instrument, with its tags.
    /// </summary>
    /// <inheritdoc cref="ListenTo(Func{Instrument, bool}, MeterListenOptions)" path="/remarks"/>
    /// <returns>A handle that stops following when disposed; disposing the coordinator stops it too.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public IDisposable ListenTo(Func<Instrument, bool> predicate) => ListenTo(predicate, MeterListenOptions.Default);

    /// <summary>
    /// Follows every instrument for which <paramref name="predicate"/> is true, mapped to streams
    /// and filtered by <paramref name="options"/>: each measurement becomes a send to the
    /// instrument's stream, with its tags (values turned into invariant strings).
    /// </summary>
    /// <remarks>
    /// <para>What a stream receives: a <c>Counter</c>'s and a <c>Histogram</c>'s values (a counter's
    /// window <c>sum</c> is the window's total) and a <c>Gauge</c>'s recorded levels; an
    /// <c>UpDownCounter</c>'s running level after each change, per tag set, counted from when
    /// following began (so <c>last</c>, <c>min</c> and <c>max</c> are levels); an
    /// <c>ObservableGauge</c>'s and an <c>ObservableUpDownCounter</c>'s observed level; an
    /// <c>ObservableCounter</c>'s increase since its previous observation, per tag set (its first
    /// observation sets the baseline; <c>sum</c> is then the window's total). Observable instruments
    /// are observed on the scheduler once per window of their stream, halfway through it; their
    /// stream must exist, windowed, when the instrument is published (else that is logged).</para>
    /// <para>Measurements arrive on the thread that records them and never throw there: those of an
    /// instrument without a stream are counted in <see cref="MCoordinatorStatistics.UnroutedMeasurements"/>,
    /// refused ones (NaN, infinity) in <see cref="MCoordinatorStatistics.RejectedMeasurements"/>, and
    /// the first of each instrument is logged with the stream it would need. Two instruments that
    /// feed one stream (two meters' <c>requests</c>, say) are logged too: keep them apart with
    /// <see cref="MeterListenOptions.QualifyWithMeter"/> or <see cref="MeterListenOptions.StreamName"/>.</para>
    /// </remarks>
    /// <returns>A handle that stops following when disposed; disposing the coordinator stops it too.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    public IDisposable ListenTo(Func<Instrument, bool> predicate, MeterListenOptions options)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(options);
        lock (_configGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var bridge = new MeterBridge(this, _context, predicate, options);
            _bridges.Add(bridge);
            return bridge;
        }
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
            return PipelineGraph.ToDot([.. _streams], [.. _lanes]);
        }
    }

    /// <summary>Describes the streams and the sinks with their rate limits.</summary>
    public override string ToString()
    {
        StreamPipeline[] streams;
        SinkLane[] lanes;
        lock (_configGate)
        {
            streams = [.. _streams];
            lanes = [.. _lanes];
        }

        var sinks = Array.ConvertAll(lanes, lane => lane.RateLimit > TimeSpan.Zero
            ? $"{lane.Sink} rate_limit={lane.RateLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
            : lane.Sink.ToString());
        return $"MCoordinator(streams=[{string.Join(", ", streams.Select(s => s.Config))}], sinks=[{string.Join(", ", sinks)}])";
    }

    internal StreamPipeline Stream(string name) => _router.Find(name);

    internal bool HasStream(string name) => _router.Contains(name);

    /// <summary>The window size of the stream <paramref name="name"/>; null when it has none or counts batches.</summary>
    internal TimeSpan? WindowOf(string name) => _router.TryGet(name, out var pipeline) ? pipeline.Config.WindowSize : null;

    internal IReadOnlyList<MStream> StreamConfigs() => Array.ConvertAll(StreamPipelines(), s => s.Config);

    internal IReadOnlyList<IMSink> Sinks()
    {
        lock (_configGate)
        {
            return _lanes.ConvertAll(lane => lane.Sink);
        }
    }

    private StreamPipeline[] StreamPipelines()
    {
        lock (_configGate)
        {
            return [.. _streams];
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

    /// <summary>Starts a timer whose value goes to <paramref name="series"/> of <paramref name="pipeline"/>.</summary>
    /// <exception cref="ObjectDisposedException">The coordinator is disposed.</exception>
    internal MetricTimer StartTimer(StreamPipeline pipeline, double scale, Series series)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Start();
        return new MetricTimer(pipeline, scale, series, _context.Scheduler.StartStopwatch(), _context.Diagnostics);
    }

    private static void ThrowIfNotFinite(string name, double value, string paramName)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"Metric '{name}': {paramName} must be a finite number.");
        }
    }

    private bool BeginDispose(out SinkLane[] lanes)
    {
        lanes = [];
        if (Interlocked.Exchange(ref _disposeStarted, 1) == 1)
        {
            return false;
        }

        StreamPipeline[] streams;
        MeterBridge[] bridges;
        lock (_configGate)
        {
            _disposed = true;
            streams = [.. _streams];
            lanes = [.. _lanes];
            bridges = [.. _bridges];
        }

        Start();

        // Stop following instruments first: nothing new arrives while the last windows close.
        foreach (var bridge in bridges)
        {
            bridge.Dispose();
        }


        // Completing every metric flushes its last batch; completing the merged stream then
        // completes every lane, which delivers what it holds and reports Drained.
        foreach (var stream in streams)
        {
            stream.Complete();
        }

        _outputs.OnCompleted();
        return true;
    }

    private void EndDispose(SinkLane[] lanes)
    {
        foreach (var lane in lanes)
        {
            if (!lane.Drained.IsCompleted)
            {
                lane.Abandon($"the coordinator's dispose did not finish delivering within DisposeTimeout ({_disposeTimeout})");
            }
        }

        lock (_configGate)
        {
            _laneSubscriptions.ForEach(subscription => subscription.Dispose());
        }

        _mergedConnection.Dispose();
    }

}
