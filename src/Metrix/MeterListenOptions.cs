using System.Diagnostics.Metrics;

namespace Metrix;

/// <summary>
/// How <see cref="MCoordinator.ListenTo(Func{Instrument, bool}, MeterListenOptions)"/> maps the
/// instruments it follows to streams, and which of their tags it keeps.
/// </summary>
/// <example>
/// <code>
/// mc.ListenTo("Microsoft.AspNetCore.Hosting", new MeterListenOptions
/// {
///     DropTags = { "server.address", "server.port", "url.scheme" },
/// });
/// mc.ListenTo(i => i.Meter.Name.StartsWith("Shop", StringComparison.Ordinal), new MeterListenOptions { QualifyWithMeter = true });
/// </code>
/// </example>
public sealed class MeterListenOptions
{
    /// <summary>
    /// Maps an instrument to the name of the stream its measurements go to. Default: none, so the
    /// stream is named like the instrument (or <c>{meter}.{instrument}</c> with
    /// <see cref="QualifyWithMeter"/>). Called once per instrument; an instrument it maps to null or
    /// an empty name, or for which it throws, is not followed (logged once).
    /// </summary>
    public Func<Instrument, string?>? StreamName { get; init; }

    /// <summary>
    /// Whether the default stream name is <c>{meter name}.{instrument name}</c>, so two meters'
    /// instruments of the same name stay apart. Default: false (the instrument's name).
    /// </summary>
    public bool QualifyWithMeter { get; init; }

    /// <summary>Tag keys to leave out of every measurement (ordinal). Default: none.</summary>
    public ISet<string> DropTags { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Leaves out every tag whose key it returns true for, besides <see cref="DropTags"/>. Default: none.</summary>
    public Func<string, bool>? DropTag { get; init; }

    /// <summary>The default options: instrument names as stream names, every tag kept.</summary>
    internal static MeterListenOptions Default { get; } = new();

    /// <summary>The stream <paramref name="instrument"/> goes to, or null when it is not to be followed.</summary>
    internal string? StreamFor(Instrument instrument) =>
        StreamName is { } map ? map(instrument)
        : QualifyWithMeter ? instrument.Meter.Name + "." + instrument.Name
        : instrument.Name;

    /// <summary>Whether the tag <paramref name="key"/> is kept.</summary>
    internal bool Keeps(string key) => !DropTags.Contains(key) && (DropTag is null || !DropTag(key));
}
