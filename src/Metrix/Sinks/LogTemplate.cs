using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Metrix;

/// <summary>A message template with exactly one placeholder, split around it once, when configured.</summary>
internal sealed class LogTemplate
{
    private LogTemplate(string text, string placeholder, string prefix, string suffix)
    {
        Text = text;
        Placeholder = placeholder;
        Prefix = prefix;
        Suffix = suffix;
    }

    /// <summary>The template as given.</summary>
    public string Text { get; }

    /// <summary>The placeholder's name (without braces, alignment or format).</summary>
    public string Placeholder { get; }

    /// <summary>The literal text before the placeholder, braces unescaped.</summary>
    public string Prefix { get; }

    /// <summary>The literal text after the placeholder, braces unescaped.</summary>
    public string Suffix { get; }

    /// <exception cref="ArgumentException">Not exactly one placeholder, or an unbalanced brace.</exception>
    public static LogTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template, nameof(MSinkLogger.MessageTemplate));
        var prefix = new StringBuilder();
        var suffix = new StringBuilder();
        string? placeholder = null;
        var count = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            var literal = placeholder is null ? prefix : suffix;
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i + 1);
                if (end < 0)
                {
                    throw Invalid(template, "it has a '{' without a closing '}'");
                }

                var hole = template.AsSpan(i + 1, end - i - 1);
                var nameLength = hole.IndexOfAny(',', ':');
                var name = (nameLength < 0 ? hole : hole[..nameLength]).ToString();
                if (name.Length == 0)
                {
                    throw Invalid(template, "it has an empty placeholder '{}'");
                }

                placeholder ??= name;
                count++;
                i = end;
            }
            else if (c == '}')
            {
                throw Invalid(template, "it has a '}' without an opening '{'");
            }
            else
            {
                literal.Append(c);
            }
        }

        if (count != 1)
        {
            throw Invalid(template, $"it holds {count} placeholders");
        }

        return new LogTemplate(template, placeholder!, prefix.ToString(), suffix.ToString());
    }

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly", Justification = "Names the public setting the caller set (MSinkLogger.MessageTemplate), which this parser checks for it.")]
    private static ArgumentException Invalid(string template, string problem) => new(
        $"MSinkLogger.MessageTemplate '{template}' must hold exactly one placeholder, such as '{{MElement}}', which receives the element; {problem}.",
        nameof(MSinkLogger.MessageTemplate));
}
