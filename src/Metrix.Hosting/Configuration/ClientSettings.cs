using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using static Metrix.Hosting.Configuration.ConfigurationValues;

namespace Metrix.Hosting.Configuration;

/// <summary>
/// Creates a database client from its configuration section: each setting sets the client's
/// public property of that name (init-only ones included), converted from text to the property's
/// type; what the client does not leave to configuration (its <c>Logger</c>, which comes from the
/// host, and its <c>TimeProvider</c>) and unknown names fail with the setting's path.
/// </summary>
/// <remarks>
/// By reflection, so that the clients of other packages (Metrix.Prometheus, Metrix.PostgreSql) can
/// be configured without this package depending on them, and every setting a client documents
/// (timeouts, delays, buffer capacity) is configurable as it is in code, with the client's own
/// defaults and checks.
/// </remarks>
internal static class ClientSettings
{
    /// <summary>The setting every sink has besides its client's: the lane's rate limit.</summary>
    public const string RateLimit = "RateLimit";

    public static ITsdbClient Create(Type clientType, IConfigurationSection section, ILoggerFactory loggers)
    {
        var settable = Settable(clientType);
        var client = (ITsdbClient)Activator.CreateInstance(clientType)!;
        foreach (var setting in section.GetChildren())
        {
            if (setting.Key.Equals(RateLimit, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!settable.TryGetValue(setting.Key, out var property))
            {
                throw ConfigurationError.At(setting.Path, $"unknown setting; known here: {string.Join(", ", settable.Keys.Order(StringComparer.Ordinal).Append(RateLimit))}.");
            }

            try
            {
                property.SetValue(client, Value(section, setting, property.PropertyType));
            }
            catch (TargetInvocationException ex) when (ex.InnerException is ArgumentException refused)
            {
                throw ConfigurationError.At(setting.Path, refused.Message, refused);
            }
        }

        if (clientType.GetProperty("Logger") is { SetMethod.IsPublic: true } logger && logger.PropertyType == typeof(ILogger))
        {
            logger.SetValue(client, loggers.CreateLogger(clientType));
        }

        return client;
    }

    /// <summary>The client's public properties that configuration can set, by name (case-insensitive, as configuration keys are).</summary>
    private static Dictionary<string, PropertyInfo> Settable(Type clientType) => clientType
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property.SetMethod is { IsPublic: true } && IsConfigurable(property.PropertyType))
        .ToDictionary(property => property.Name, StringComparer.OrdinalIgnoreCase);

    private static bool IsConfigurable(Type type) =>
        type == typeof(string) || type == typeof(int) || type == typeof(bool) || type == typeof(TimeSpan) || type == typeof(Uri)
        || type.IsEnum || type == typeof(IReadOnlyDictionary<string, string>);

    private static object? Value(IConfigurationSection parent, IConfigurationSection setting, Type type)
    {
        if (type == typeof(IReadOnlyDictionary<string, string>))
        {
            return TagsAt(parent, setting.Key);
        }

        if (setting.Value is not { } text)
        {
            throw ConfigurationError.At(setting.Path, "expected a single value, not an object or a list.");
        }

        if (type == typeof(string))
        {
            return text;
        }

        // Ranges are the client's to check (its setter refuses what it cannot use, naming why).
        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw ConfigurationError.At(setting.Path, $"'{text}' is not a whole number.");
        }

        if (type == typeof(TimeSpan))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)
                ? span
                : throw ConfigurationError.At(setting.Path, $"'{text}' is not a time span; write hh:mm:ss[.fff], e.g. \"00:00:05\" or \"00:00:00.5\".");
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(text, out var flag) ? flag : throw ConfigurationError.At(setting.Path, $"'{text}' is not true or false.");
        }

        if (type == typeof(Uri))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                ? url
                : throw ConfigurationError.At(setting.Path, $"'{text}' is not an absolute http(s) URL such as http://server:8086.");
        }

        return Enum.TryParse(type, text, ignoreCase: true, out var member) && Enum.IsDefined(type, member!)
            ? member
            : throw ConfigurationError.At(setting.Path, $"'{text}' is not one of {string.Join(", ", Enum.GetNames(type))}.");
    }
}
