using System.Diagnostics.CodeAnalysis;
using System.Reactive.Concurrency;
using System.Runtime.CompilerServices;

namespace Metrix;

// Recording: Send, Timer and Series. Each validates, resolves the stream and the tags once, and
// hands the value to the stream's pipeline (Ingest/StreamPipeline).
public sealed partial class MCoordinator
{
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
        ObjectDisposedException.ThrowIf(!pipeline.TryPost(value, ref series), this);
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
        ObjectDisposedException.ThrowIf(!pipeline.TryPost(value, ref series), this);
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
}
