namespace Metrix;

/// <summary>
/// Prometheus' naming rules: metric names <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, label names
/// <c>[a-zA-Z_][a-zA-Z0-9_]*</c> not starting with <c>__</c> (reserved). Any other character
/// becomes <c>_</c>; a name starting with a digit gets a leading <c>_</c>.
/// </summary>
internal static class PrometheusNames
{
    public static string Metric(string name) => Legal(name, colonAllowed: true);

    public static string Label(string name)
    {
        var legal = Legal(name, colonAllowed: false);
        return legal.StartsWith("__", StringComparison.Ordinal) ? "x" + legal[1..] : legal;
    }

    private static string Legal(string name, bool colonAllowed)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var legal = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (colonAllowed && c == ':') || (i > 0 && c is >= '0' and <= '9');
            if (!legal)
            {
                chars[i] = c is >= '0' and <= '9' ? c : '_';
            }
        }

        var text = new string(chars);
        return text.Length > 0 && text[0] is >= '0' and <= '9' ? "_" + text : text;
    }
}
