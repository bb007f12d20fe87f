using System.Globalization;
using Microsoft.Extensions.Configuration;
using static Metrix.Hosting.Configuration.ConfigurationValues;

namespace Metrix.Hosting.Configuration;

/// <summary>
/// Applies a configuration section (say <c>Metrix</c> of appsettings.json) to a coordinator:
/// settings, streams and built-in sinks. Every problem fails with the full configuration path.
/// </summary>
internal static class MetrixConfigurationReader
{
    private static readonly string[] TopLevel = ["RateLimit", "CommonTags", "SinkQueueCapacity", "DisposeTimeout", "Streams", "Sinks"];
    private static readonly string[] StreamKeys = ["Agg", "WindowSize", "BatchSize", "DefaultTags", "MaxTagSets"];

    public static void Apply(IConfigurationSection root, MCoordinator coordinator, IServiceProvider services)
    {
        OnlyKnownKeys(root, TopLevel);
        Set(root, "RateLimit", () => coordinator.RateLimit = TimeSpanAt(root, "RateLimit") ?? coordinator.RateLimit);
        Set(root, "CommonTags", () => coordinator.CommonTags = TagsAt(root, "CommonTags") ?? coordinator.CommonTags);
        Set(root, "SinkQueueCapacity", () => coordinator.SinkQueueCapacity = IntAt(root, "SinkQueueCapacity", 1) ?? coordinator.SinkQueueCapacity);
        Set(root, "DisposeTimeout", () => coordinator.DisposeTimeout = TimeSpanAt(root, "DisposeTimeout") ?? coordinator.DisposeTimeout);

        foreach (var stream in root.GetSection("Streams").GetChildren())
        {
            var built = Stream(stream);
            Set(stream, null, () => coordinator.AddMStream(built));
        }

        SinkConfiguration.AddAll(root.GetSection("Sinks"), coordinator, services);
    }

    /// <summary>Runs a setter, turning the coordinator's own refusal into a configuration error at the path.</summary>
    private static void Set(IConfigurationSection parent, string? key, Action set)
    {
        try
        {
            set();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException && ex.Message is { } message && !message.StartsWith("Metrix configuration", StringComparison.Ordinal))
        {
            throw ConfigurationError.At(key is null ? parent.Path : parent.GetSection(key).Path, ex.Message, ex);
        }
    }

    private static MStream Stream(IConfigurationSection section)
    {
        OnlyKnownKeys(section, StreamKeys);
        var window = TimeSpanAt(section, "WindowSize");
        var batch = IntAt(section, "BatchSize", 1);
        if (window is null == batch is null)
        {
            throw ConfigurationError.At(section.Path, "set exactly one of WindowSize (a time span) and BatchSize (a count).");
        }

        MStream stream;
        try
        {
            stream = new MStream(section.Key)
            {
                WindowSize = window,
                BatchSize = batch,
                DefaultTags = TagsAt(section, "DefaultTags"),
                MaxTagSets = IntAt(section, "MaxTagSets", 1) ?? MStream.DefaultMaxTagSets,
            };
        }
        catch (ArgumentException ex)
        {
            throw ConfigurationError.At(section.Path, ex.Message, ex);
        }

        var aggs = section.GetSection("Agg");
        if (!aggs.GetChildren().Any())
        {
            throw ConfigurationError.At(aggs.Path, "a stream needs at least one aggregation: a list such as [\"sum\", \"p99\"] or an object such as { \"total\": \"sum\" }.");
        }

        foreach (var agg in aggs.GetChildren())
        {
            var named = !int.TryParse(agg.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _);
            var aggregation = Aggregation(agg);
            if (named)
            {
                stream.Agg.Add(agg.Key, aggregation);
            }
            else
            {
                stream.Agg.Add(aggregation);
            }
        }

        return stream;
    }

    /// <summary>An aggregation by name: sum, mean, min, max, count, stdev, variance, median, first, last, or p&lt;number&gt;.</summary>
    private static MAgg Aggregation(IConfigurationSection section)
    {
        var name = section.Value?.Trim().ToLowerInvariant();
        MAgg? known = name switch
        {
            "sum" => MAgg.Sum,
            "mean" or "avg" => MAgg.Mean,
            "min" => MAgg.Min,
            "max" => MAgg.Max,
            "count" => MAgg.Count,
            "stdev" or "stddev" => MAgg.StdDev,
            "variance" => MAgg.Variance,
            "median" => MAgg.Median,
            "first" => MAgg.First,
            "last" => MAgg.Last,
            _ => null,
        };
        if (known is not null)
        {
            return known;
        }

        if (name is ['p', .. var rest] && double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 100)
        {
            return MAgg.Percentile(p);
        }

        throw ConfigurationError.At(section.Path, $"'{section.Value}' is not an aggregation; use sum, mean, min, max, count, stdev, variance, median, first, last or p<0–100> (p99, p99.9).");
    }
}
