using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Metrix.Tests.Support;

/// <summary>
/// A caller's tag dictionary that another thread changes between reads, made deterministic: each
/// enumeration yields the next of the given contents (the last one repeats), <see cref="Count"/>
/// can disagree with what an enumeration yields, and an enumeration can be made to throw. Counts
/// every read, so a test can assert how often its caller looked.
/// </summary>
public sealed class ScriptedDictionary : IReadOnlyDictionary<string, string>
{
    private readonly IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> _contents;
    private int _enumerations;

    public ScriptedDictionary(params Dictionary<string, string>[] contents) =>
        _contents = [.. contents.Select(c => (IReadOnlyList<KeyValuePair<string, string>>)[.. c])];

    /// <summary>What <see cref="Count"/> answers; by default the size of the first content.</summary>
    public int? ReportedCount { get; init; }

    /// <summary>The enumeration (0-based) from which every enumeration throws; null: none does.</summary>
    public int? ThrowFromEnumeration { get; init; }

    /// <summary>Every call that reads the content: enumerations, Count, lookups, Keys, Values.</summary>
    public int Reads { get; private set; }

    public int Enumerations => _enumerations;

    public int Count
    {
        get
        {
            Reads++;
            return ReportedCount ?? _contents[0].Count;
        }
    }

    public IEnumerable<string> Keys => Current().Select(p => p.Key);

    public IEnumerable<string> Values => Current().Select(p => p.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var pair = Current().FirstOrDefault(p => p.Key == key);
        value = pair.Value;
        return pair.Key is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        var index = _enumerations++;
        Reads++;
        if (index >= ThrowFromEnumeration)
        {
            throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");
        }

        return _contents[Math.Min(index, _contents.Count - 1)].GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IReadOnlyList<KeyValuePair<string, string>> Current()
    {
        Reads++;
        return _contents[Math.Min(_enumerations, _contents.Count - 1)];
    }
}
