using System.Text;

namespace Metrix;

/// <summary>
/// OpenTSDB's rules for metric names, tag keys and tag values: letters (any Unicode letter), digits
/// and <c>- _ . /</c>. Names that arrive with elements are sanitized (each other character becomes
/// <c>_</c>); names the user configures are checked and rejected instead.
/// </summary>
internal static class OpenTsdbNames
{
    public static bool IsAllowed(char c) =>
        char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/';

    public static bool IsValid(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsAllowed(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Replaces every character OpenTSDB does not allow with <c>_</c>.</summary>
    public static string Sanitize(string name)
    {
        if (IsValid(name))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(IsAllowed(c) ? c : '_');
        }

        return builder.ToString();
    }

    /// <exception cref="ArgumentException">The name is empty or holds a character OpenTSDB does not allow.</exception>
    public static void Validate(string name, string what, string paramName)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"{what} '{name}' is not a valid OpenTSDB name: use letters, digits and - _ . / only, and at least one character.",
                paramName);
        }
    }
}
