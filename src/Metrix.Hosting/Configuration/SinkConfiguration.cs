using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Metrix.Hosting.Configuration.ConfigurationValues;

namespace Metrix.Hosting.Configuration;

/// <summary>
/// The sinks by kind (<c>Sinks:Logger</c>, <c>Sinks:Printer</c>, and one per database client:
/// <c>Sinks:OpenTsdb</c>, <c>InfluxDb</c>, <c>Graphite</c>, <c>Prometheus</c>, <c>PostgreSql</c>),
/// each with its settings and an optional <c>RateLimit</c>. Database clients made here are owned by
/// the coordinator, which disposes them after its final drain.
/// </summary>
internal static class SinkConfiguration
{
    private static readonly string[] Kinds = ["Logger", "Printer", "OpenTsdb", "InfluxDb", "Graphite", "Prometheus", "PostgreSql"];

    public static void AddAll(IConfigurationSection sinks, MCoordinator coordinator, IServiceProvider services)
    {
        var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        foreach (var section in sinks.GetChildren())
        {
            IMSink sink = section.Key.ToLowerInvariant() switch
            {
                "logger" => Logger(section, loggers),
                "printer" => Printer(section),
                "opentsdb" => Database(section, typeof(OpenTsdbClient), loggers, CheckHostAndPort),
                "influxdb" => Database(section, typeof(InfluxDbClient), loggers, CheckInfluxDb),
                "graphite" => Database(section, typeof(GraphiteClient), loggers, CheckHostAndPort),
                "prometheus" => Database(section, PackageClient(section, "Metrix.PrometheusRemoteWriteClient", "Metrix.Prometheus"), loggers, Requires("Url")),
                "postgresql" => Database(section, PackageClient(section, "Metrix.PostgreSqlClient", "Metrix.PostgreSql"), loggers, Requires("ConnectionString")),
                _ => throw ConfigurationError.At(section.Path, $"unknown sink; the built-in ones are {string.Join(", ", Kinds)} (add others in code)."),
            };
            try
            {
                coordinator.AddMSink(sink, TimeSpanAt(section, ClientSettings.RateLimit));
            }
            catch (ArgumentException ex)
            {
                throw ConfigurationError.At(section.Path, ex.Message, ex);
            }
        }
    }

    private static MSinkLogger Logger(IConfigurationSection section, ILoggerFactory loggers)
    {
        OnlyKnownKeys(section, "Level", "MessageTemplate", "Category", ClientSettings.RateLimit);
        var logger = loggers.CreateLogger(StringAt(section, "Category") ?? "Metrix.Aggregates");
        try
        {
            return new MSinkLogger(logger)
            {
                Level = EnumAt<LogLevel>(section, "Level") ?? LogLevel.Information,
                MessageTemplate = StringAt(section, "MessageTemplate") ?? MSinkLogger.DefaultMessageTemplate,
            };
        }
        catch (ArgumentException ex)
        {
            throw ConfigurationError.At(section.GetSection("MessageTemplate").Path, ex.Message, ex);
        }
    }

    private static MSinkPrinter Printer(IConfigurationSection section)
    {
        OnlyKnownKeys(section, ClientSettings.RateLimit);
        return new MSinkPrinter();
    }

    /// <summary>A database client made from its section (after the kind's own checks), owned by its sink.</summary>
    private static MSinkTSDB Database(IConfigurationSection section, Type clientType, ILoggerFactory loggers, Action<IConfigurationSection> check)
    {
        check(section);
        return new MSinkTSDB(ClientSettings.Create(clientType, section, loggers)) { OwnsClient = true };
    }

    /// <summary>
    /// The client type of a package of its own, found by name so that this package does not depend
    /// on it (nor bring its dependencies, Npgsql or Protobuf, into every app).
    /// </summary>
    internal static Type PackageClient(IConfigurationSection section, string typeName, string package) =>
        Type.GetType($"{typeName}, {package}", throwOnError: false)
        ?? throw ConfigurationError.At(section.Path, $"this sink needs the {package} package: add a reference to it (dotnet add package {package}).");

    private static Action<IConfigurationSection> Requires(string key) => section =>
    {
        if (string.IsNullOrWhiteSpace(StringAt(section, key)))
        {
            throw ConfigurationError.At(section.Path, $"set {key}.");
        }
    };

    /// <summary>A TCP server's Host (not blank, when given) and Port (1–65535, when given); the client has the defaults.</summary>
    private static void CheckHostAndPort(IConfigurationSection section)
    {
        if (StringAt(section, "Host") is { } host && string.IsNullOrWhiteSpace(host))
        {
            throw ConfigurationError.At(section.GetSection("Host").Path, "the host must not be empty.");
        }

        if (IntAt(section, "Port", 1) is > 65535 and var port)
        {
            throw ConfigurationError.At(section.GetSection("Port").Path, $"'{port}' is not a port (1–65535).");
        }
    }

    /// <summary>InfluxDB needs Url, and Database (1.x) or Org and Bucket (2.x).</summary>
    private static void CheckInfluxDb(IConfigurationSection section)
    {
        Requires("Url")(section);
        var database = StringAt(section, "Database");
        var bucket = StringAt(section, "Bucket");
        var org = StringAt(section, "Org");
        if (bucket is null ? string.IsNullOrEmpty(database) : string.IsNullOrEmpty(org) || database is not null)
        {
            throw ConfigurationError.At(section.Path, "set Database (InfluxDB 1.x), or Org and Bucket (2.x, with Token).");
        }
    }
}
