using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Metrix;

/// <summary>
/// The configuration of one metric's pipeline: its aggregations, default tags, and how its
/// elements are cut into batches (by count) or tumbling windows (by time).
/// </summary>
/// <example>
/// <code>
/// new MStream("latency")
/// {
///     Agg = { MAgg.Mean, MAgg.Percentile(99) },
///     DefaultTags = new Dictionary&lt;string, string&gt; { ["host"] = "a" },
///     WindowSize = TimeSpan.FromSeconds(10),
/// }
/// </code>
/// </example>
/// <remarks>
/// Exactly one of <see cref="WindowSize"/> and <see cref="BatchSize"/> must be set, and at least one
/// aggregation; this is checked when the stream is added to a coordinator. Once added, the stream
/// is in use and its aggregations can no longer change.
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "The API contract fixes the name (the original library's MStream); it is a metric's stream, not a System.IO.Stream.")]
public sealed class MStream
{
    private readonly TimeSpan? _windowSize;
    private readonly int? _batchSize;
    private readonly TagSet _defaultTags = TagSet.Empty;
    private readonly int _maxTagSets = DefaultMaxTagSets;

    /// <summary>The default <see cref="MaxTagSets"/>: 2,000 tag sets per stream.</summary>
    public const int DefaultMaxTagSets = 2_000;

    /// <summary>Creates the configuration of the metric <paramref name="name"/>.</summary>
    /// <param name="name">The metric name that <see cref="MCoordinator.Send(string, double, IReadOnlyDictionary{string, string})"/> routes by; not null or empty.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public MStream(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name), "An MStream needs a name.");
        }

        if (name.Length == 0)
        {
            throw new ArgumentException("An MStream needs a name; the empty string is not one.", nameof(name));
        }

        Name = name;
        Agg = new MAggCollection(name);
    }

    /// <summary>The metric name; outputs are named <c>{Name}.{aggregation name}</c>.</summary>
    public string Name { get; }

    /// <summary>The aggregations, in the order their outputs are emitted. Empty by default; at least one is required.</summary>
    public MAggCollection Agg { get; }

    /// <summary>
    /// Tags applied to every element of this stream; tags given to <see cref="MCoordinator.Send(string, double, IReadOnlyDictionary{string, string})"/>
    /// override and extend them key by key. Copied when set. Default: none.
    /// </summary>
    /// <exception cref="ArgumentException">A key is null or empty, or a value is null.</exception>
    public IReadOnlyDictionary<string, string>? DefaultTags
    {
        get => _defaultTags.Count == 0 ? null : _defaultTags;
        init => _defaultTags = TagSet.From(value, nameof(DefaultTags));
    }

    /// <summary>
    /// The length of the tumbling windows, on the coordinator's scheduler. Windows start when the
    /// coordinator starts; an empty window emits nothing. Default: not set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? WindowSize
    {
        get => _windowSize;
        init
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(WindowSize), value, $"MStream '{Name}': WindowSize must be positive.");
            }

            _windowSize = value;
        }
    }

    /// <summary>The number of successive elements in a batch. Default: not set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? BatchSize
    {
        get => _batchSize;
        init
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(BatchSize), value, $"MStream '{Name}': BatchSize must be at least 1.");
            }

            _batchSize = value;
        }
    }

    /// <summary>
    /// The most distinct tag sets one window (or batch) of this stream aggregates separately (its
    /// default tags count as one when used). Within a window, elements with further new tag sets
    /// are aggregated into one group tagged <c>metrix.overflow=true</c>, counted and logged, so
    /// unbounded tag values cannot exhaust memory. The cap is per window, not for the process's
    /// life: a tag set unused for a window is forgotten, so the stream remembers at most twice this
    /// many tag sets however many it has seen. Default: <see cref="DefaultMaxTagSets"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxTagSets
    {
        get => _maxTagSets;
        init
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(MaxTagSets), value, $"MStream '{Name}': MaxTagSets must be at least 1.");
            }

            _maxTagSets = value;
        }
    }

    internal TagSet DefaultTagSet => _defaultTags;

    /// <summary>
    /// Checks the whole configuration and freezes the aggregations.
    /// </summary>
    /// <exception cref="ArgumentException">The configuration is incomplete or contradictory.</exception>
    internal KeyValuePair<string, MAgg>[] Validate()
    {
        if (_windowSize is null && _batchSize is null)
        {
            throw new ArgumentException(
                $"MStream '{Name}' needs either a WindowSize or a BatchSize; neither is set.", "stream");
        }

        if (_windowSize is not null && _batchSize is not null)
        {
            throw new ArgumentException(
                $"MStream '{Name}' needs either a WindowSize or a BatchSize, not both.", "stream");
        }

        if (Agg.Count == 0)
        {
            throw new ArgumentException(
                $"MStream '{Name}' has no aggregation; add at least one to Agg (e.g. MAgg.Sum).", "stream");
        }

        return Agg.Freeze();
    }

    /// <summary>Describes the stream: name, batching, aggregations and default tags.</summary>
    public override string ToString()
    {
        var cut = _windowSize is { } w
            ? "window=" + w.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s"
            : "batch=" + _batchSize!.Value.ToString(CultureInfo.InvariantCulture);
        var aggs = string.Join(", ", Agg.Select(a => a.Key));
        var tags = _defaultTags.Count == 0 ? string.Empty : $", default_tags={_defaultTags.ToPythonDict()}";
        return $"MStream('{Name}', {cut}, agg=[{aggs}]{tags})";
    }
}
