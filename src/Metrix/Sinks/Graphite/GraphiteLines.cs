using System.Globalization;
using System.Text;

namespace Metrix;

/// <summary>
/// Graphite's plaintext protocol with tags: <c>name;tag=value;… value seconds</c>, one line per
/// point. Characters Graphite cannot carry become <c>_</c>: in names, whitespace and <c>;</c>; in
/// tag names, also <c>!</c>, <c>^</c> and <c>=</c>; in tag values, whitespace, <c>;</c> and a
/// leading <c>~</c>. Tags with an empty value are left out.
/// </summary>
internal static class GraphiteLines
{
    /// <summary>The series (name and sorted tags), the part of a line before its value.</summary>
    public static string Series(string name, IReadOnlyDictionary<string, string> tags)
    {
        var series = new StringBuilder(Sanitize(name, "; "));
        foreach (var (key, value) in tags.Where(t => t.Value.Length > 0).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var tagValue = Sanitize(value, "; ");
            series.Append(';').Append(Sanitize(key, ";!^= ")).Append('=').Append(tagValue[0] == '~' ? "_" + tagValue[1..] : tagValue);
        }

        return series.ToString();
    }

    public static string Line(string series, double value, long seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{series} {value:R} {seconds}\n");

    private static string Sanitize(string text, string forbidden)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsWhiteSpace(chars[i]) || forbidden.Contains(chars[i], StringComparison.Ordinal))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
