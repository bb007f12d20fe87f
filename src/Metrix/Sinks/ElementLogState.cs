using System.Collections;

namespace Metrix;

/// <summary>
/// The structured state of one logged element: the template's placeholder (the element itself),
/// <c>Name</c>, <c>Value</c>, <c>Tags</c> and <c>{OriginalFormat}</c>, as structured loggers expect.
/// </summary>
internal readonly struct ElementLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly Func<ElementLogState, Exception?, string> Format = (state, _) => state.ToString();

    private readonly LogTemplate _template;
    private readonly MElement _element;

    public ElementLogState(LogTemplate template, MElement element)
    {
        _template = template;
        _element = element;
    }

    public int Count => 5;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(_template.Placeholder, _element),
        1 => new("Name", _element.Name),
        2 => new("Value", _element.Value),
        3 => new("Tags", TagsForLoggers(_element.Tags)),
        4 => new("{OriginalFormat}", _template.Text),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>
    /// The tags as a plain <see cref="Dictionary{TKey, TValue}"/>: structured loggers render that
    /// type as an object (Serilog recognizes exactly <c>Dictionary&lt;,&gt;</c>; any other
    /// enumerable, such as Metrix's own tag set, becomes a list of <c>"[key, value]"</c> strings).
    /// Built only when a provider reads the property, once per logged element.
    /// </summary>
    private static Dictionary<string, string>? TagsForLoggers(IReadOnlyDictionary<string, string>? tags) =>
        tags is null ? null : new Dictionary<string, string>(tags, StringComparer.Ordinal);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _template.Prefix + _element + _template.Suffix;
}
