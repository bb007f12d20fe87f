namespace Metrix.Tests.Support;

/// <summary>Short tag dictionaries for tests: <c>Tags.Of(("foo", "bar"))</c>.</summary>
public static class Tags
{
    public static Dictionary<string, string> Of(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);
}
