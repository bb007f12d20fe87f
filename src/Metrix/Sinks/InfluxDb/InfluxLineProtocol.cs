using System.Globalization;
using System.Text;

namespace Metrix;

/// <summary>
/// InfluxDB's line protocol, one point per line: <c>measurement,tag=value value=12.5 1767225600000</c>
/// (millisecond timestamps, LF endings). Names and tags are kept exact by escaping commas, spaces
/// and equals signs; what the protocol cannot carry is replaced, as documented on <see cref="InfluxDbClient"/>.
/// </summary>
internal static class InfluxLineProtocol
{
    /// <summary>One line (without its LF) and the series it belongs to, for logging once per series.</summary>
    public static (string Line, string Series) Encode(string measurement, double value, IReadOnlyDictionary<string, string> tags, long milliseconds)
    {
        var line = new StringBuilder(64);
        Escape(line, measurement, equalsToo: false);
        foreach (var (key, tagValue) in tags.Where(t => t.Value.Length > 0).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            line.Append(',');
            Escape(line, key, equalsToo: true);
            line.Append('=');
            Escape(line, tagValue, equalsToo: true);
        }

        var series = line.ToString();
        line.Append(" value=").Append(value.ToString("R", CultureInfo.InvariantCulture))
            .Append(' ').Append(milliseconds.ToString(CultureInfo.InvariantCulture));
        return (line.ToString(), series);
    }

    /// <summary>
    /// Escapes commas and spaces (and equals signs in tags) with a backslash; line breaks, which no
    /// escape carries, become spaces (escaped); a trailing backslash, which would escape the
    /// separator after it, becomes <c>_</c>.
    /// </summary>
    private static void Escape(StringBuilder line, string text, bool equalsToo)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ',' or ' ':
                    line.Append('\\').Append(c);
                    break;
                case '=' when equalsToo:
                    line.Append("\\=");
                    break;
                case '\n' or '\r':
                    line.Append("\\ ");
                    break;
                case '\\' when i == text.Length - 1:
                    line.Append('_');
                    break;
                default:
                    line.Append(c);
                    break;
            }
        }
    }
}
