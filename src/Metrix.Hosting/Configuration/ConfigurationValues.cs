using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Metrix.Hosting.Configuration;

/// <summary>Reads typed values from configuration sections, failing with the value's full path.</summary>
internal static class ConfigurationValues
{
    public static TimeSpan? TimeSpanAt(IConfigurationSection parent, string key)
    {
        var section = parent.GetSection(key);
        if (section.Value is not { } text)
        {
            return null;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw ConfigurationError.At(section.Path, $"'{text}' is not a positive time span; write hh:mm:ss[.fff], e.g. \"00:05:00\" or \"00:00:00.5\".");
    }

    public static int? IntAt(IConfigurationSection parent, string key, int minimum)
    {
        var section = parent.GetSection(key);
        if (section.Value is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw ConfigurationError.At(section.Path, $"'{text}' is not a whole number of at least {minimum}.");
    }

    public static TEnum? EnumAt<TEnum>(IConfigurationSection parent, string key)
        where TEnum : struct, Enum
    {
        var section = parent.GetSection(key);
        if (section.Value is not { } text)
        {
            return null;
        }

        return Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw ConfigurationError.At(section.Path, $"'{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    public static string? StringAt(IConfigurationSection parent, string key) => parent.GetSection(key).Value;

    /// <summary>A section of string values (tags) as a dictionary; null when absent.</summary>
    public static Dictionary<string, string>? TagsAt(IConfigurationSection parent, string key)
    {
        var section = parent.GetSection(key);
        if (!section.Exists())
        {
            return null;
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in section.GetChildren())
        {
            tags[tag.Key] = tag.Value ?? throw ConfigurationError.At(tag.Path, "a tag's value must be a string, not an object or a list.");
        }

        return tags;
    }

    /// <summary>Refuses keys the reader does not know, so a typo fails the start instead of being ignored.</summary>
    public static void OnlyKnownKeys(IConfigurationSection section, params string[] known)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw ConfigurationError.At(child.Path, $"unknown setting; known here: {string.Join(", ", known)}.");
            }
        }
    }
}
