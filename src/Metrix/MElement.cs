using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Metrix;

/// <summary>
/// One data point: a metric name, a value and an optional set of tags. Immutable, compared by value.
/// </summary>
/// <remarks>
/// Two elements are equal when their names are equal (ordinal), their values are equal
/// (<c>1</c> equals <c>1.0</c>; <see cref="double.NaN"/> equals itself) and their tag sets hold the
/// same pairs in any order. An element without tags equals only elements without tags.
/// <see cref="Timestamp"/> is not compared.
/// </remarks>
public sealed class MElement : IEquatable<MElement>
{
    private readonly TagSet _tags;

    /// <summary>Creates a data point.</summary>
    /// <param name="name">The metric name; not null or empty.</param>
    /// <param name="value">The value.</param>
    /// <param name="tags">The tags, copied; <c>null</c> or empty means no tags.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or a tag key is null
    /// or empty, or a tag value is null.</exception>
    public MElement(string name, double value, IReadOnlyDictionary<string, string>? tags = null)
        : this(name, value, TagSet.From(tags, nameof(tags)))
    {
    }

    private MElement(string name, double value, TagSet tags)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Value = value;
        _tags = tags;
    }

    /// <summary>Creates an element over an already validated, immutable tag set (no copy).</summary>
    internal static MElement Create(string name, double value, TagSet tags, DateTimeOffset? timestamp = null) =>
        new(name, value, tags) { Timestamp = timestamp };

    /// <summary>
    /// When the value was measured. For aggregated elements: when their batch or window closed,
    /// on the coordinator's scheduler. Not part of equality. Default: null (unknown).
    /// </summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The metric name, e.g. <c>wc.mean</c> for an aggregated element.</summary>
    public string Name { get; }

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <summary>The tags sorted by key (ordinal), or <c>null</c> when the element has none.</summary>
    public IReadOnlyDictionary<string, string>? Tags => _tags.Count == 0 ? null : _tags;

    /// <summary>
    /// The tags as <c>key:value</c> pairs sorted by key (ordinal) and joined by <c>|</c>, e.g.
    /// <c>bat:baz|foo:bar</c>; <c>null</c> without tags. For display and compatibility only:
    /// elements are grouped by their tag sets, never by this string.
    /// </summary>
    public string? Key => _tags.Key;

    internal TagSet TagSet => _tags;

    /// <inheritdoc />
    public bool Equals([NotNullWhen(true)] MElement? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Value.Equals(other.Value)
        && _tags.Equals(other._tags);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MElement);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), Value, _tags);

    /// <summary>Value equality, as <see cref="Equals(MElement?)"/>.</summary>
    public static bool operator ==(MElement? left, MElement? right) =>
        left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality, the negation of <see cref="op_Equality"/>.</summary>
    public static bool operator !=(MElement? left, MElement? right) => !(left == right);

    /// <summary>
    /// The seed's log format, as the original Python library prints it: the shortest round-trip
    /// number in Python's layout (<c>1e-06</c>, <c>1e+21</c>, <c>nan</c>; whole numbers without
    /// <c>.0</c>), strings quoted as Python's <c>repr</c> quotes them, tags sorted by key:
    /// <c>MElement(name='wc.mean', value=170.2, tags=None)</c> or
    /// <c>MElement(name='n.sum', value=3, tags={'bat': 'baz', 'foo': 'bar'})</c>.
    /// </summary>
    public override string ToString()
    {
        var tags = _tags.Count == 0 ? "None" : _tags.ToPythonDict();
        return $"MElement(name={PythonRepr.String(Name)}, value={PythonRepr.Number(Value)}, tags={tags})";
    }
}
