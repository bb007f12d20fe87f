namespace Metrix.Sinks.Writing;

/// <summary>
/// The checks every database client applies to its settings where they are set, so a bad value
/// fails at its assignment (or, from configuration, at the host's start), never at a later send.
/// </summary>
internal static class SettingChecks
{
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is zero or negative.</exception>
    public static TimeSpan Positive(TimeSpan value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, name);
        return value;
    }

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static TimeSpan NotNegative(TimeSpan value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, name);
        return value;
    }

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is less than 1.</exception>
    public static int AtLeastOne(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, name);
        return value;
    }

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a port (1–65535).</exception>
    public static int Port(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65535, name);
        return value;
    }

    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public static string Host(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        return value;
    }

    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static T NotNull<T>(T value, string name)
        where T : class => value ?? throw new ArgumentNullException(name);
}
