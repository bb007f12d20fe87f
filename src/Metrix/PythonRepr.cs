using System.Globalization;
using System.Text;

namespace Metrix;

/// <summary>
/// Numbers and strings written as the original Python library prints them (Python's <c>repr</c>),
/// so a Metrix log reads like the original's: <c>1e-06</c>, <c>1e+21</c>, <c>nan</c>, and
/// <c>"it's"</c>.
/// </summary>
internal static class PythonRepr
{
    /// <summary>
    /// The shortest round-trip digits (as .NET's "R"), laid out by Python's rule: positional for
    /// decimal exponents from −4 to 15, otherwise <c>d.ddde±XX</c> (at least two exponent digits).
    /// Whole numbers keep the seed's form without <c>.0</c> (<c>625</c>, as the original prints
    /// the sum of integers).
    /// </summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text[0] == '-';
        var body = negative ? text[1..] : text;
        var exponent = 0;
        var e = body.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..e];
        }

        // body = digits with an optional point; the value is 0.digits × 10^point.
        var dot = body.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? body : string.Concat(body.AsSpan(0, dot), body.AsSpan(dot + 1));
        var point = (dot < 0 ? body.Length : dot) + exponent;
        var significant = digits.TrimStart('0');
        point -= digits.Length - significant.Length;
        significant = significant.TrimEnd('0');
        if (significant.Length == 0)
        {
            return text;
        }

        var sign = negative ? "-" : string.Empty;
        var decimalExponent = point - 1;
        if (decimalExponent is >= -4 and < 16)
        {
            if (point <= 0)
            {
                return sign + "0." + new string('0', -point) + significant;
            }

            return point >= significant.Length
                ? sign + significant + new string('0', point - significant.Length)
                : sign + significant[..point] + "." + significant[point..];
        }

        var mantissa = significant.Length == 1 ? significant : significant[0] + "." + significant[1..];
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{mantissa}e{(decimalExponent < 0 ? '-' : '+')}{Math.Abs(decimalExponent):00}");
    }

    /// <summary>
    /// A string in quotes as Python's <c>repr</c> writes it: single quotes, or double quotes when it
    /// holds a single quote and no double quote; backslashes, the chosen quote and control
    /// characters escaped.
    /// </summary>
    public static string String(string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var text = new StringBuilder(value.Length + 2).Append(quote);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case '\r':
                    text.Append(@"\r");
                    break;
                case '\t':
                    text.Append(@"\t");
                    break;
                default:
                    if (c == quote)
                    {
                        text.Append('\\').Append(c);
                    }
                    else if (c < ' ' || c is >= '\x7f' and <= '\x9f')
                    {
                        text.Append(CultureInfo.InvariantCulture, $@"\x{(int)c:x2}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append(quote).ToString();
    }
}
