using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Metrix.Hosting.Configuration.ConfigurationValues;

namespace Metrix.Hosting.Configuration;

/// <summary>
/// The built-in sinks by kind (<c>Sinks:Logger</c>, <c>Sinks:Printer</c>, <c>Sinks:OpenTsdb</c>),
/// each with its settings and an optional <c>RateLimit</c>. Database clients made here are owned by
/// the coordinator, which disposes them after its final drain.
/// </summary>
internal static class SinkConfiguration
{
    private static readonly string[] Kinds = ["Logger", "Printer", "OpenTsdb", "InfluxDb", "Graphite"];

    public static void AddAll(IConfigurationSection sinks, MCoordinator coordinator, IServiceProvider services)
    {
        foreach (var section in sinks.GetChildren())
        {
            IMSink sink = section.Key.ToLowerInvariant() switch
            {
                "logger" => Logger(section, services),
                "printer" => Printer(section),
                "opentsdb" => OpenTsdb(section, services),
                "influxdb" => InfluxDb(section, services),
                "graphite" => Graphite(section, services),
                _ => throw ConfigurationError.At(section.Path, $"unknown sink; the built-in ones are {string.Join(", ", Kinds)} (add others in code)."),
            };
            try
            {
                coordinator.AddMSink(sink, TimeSpanAt(section, "RateLimit"));
            }
            catch (ArgumentException ex)
            {
                throw ConfigurationError.At(section.Path, ex.Message, ex);
            }
        }
    }

    private static MSinkLogger Logger(IConfigurationSection section, IServiceProvider services)
    {
        OnlyKnownKeys(section, "Level", "MessageTemplate", "Category", "RateLimit");
        var factory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = factory.CreateLogger(StringAt(section, "Category") ?? "Metrix.Aggregates");
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
        OnlyKnownKeys(section, "RateLimit");
        return new MSinkPrinter();
    }

    private static MSinkTSDB OpenTsdb(IConfigurationSection section, IServiceProvider services)
    {
        OnlyKnownKeys(section, "Host", "Port", "Protocol", "BufferCapacity", "RateLimit");
        var factory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var (host, port) = HostAndPort(section, defaultPort: 4242);
        var client = new OpenTsdbClient
        {
            Host = host,
            Port = port,
            Protocol = EnumAt<OpenTsdbProtocol>(section, "Protocol") ?? OpenTsdbProtocol.Telnet,
            BufferCapacity = IntAt(section, "BufferCapacity", 1) ?? OpenTsdbClient.DefaultBufferCapacity,
            Logger = factory.CreateLogger<OpenTsdbClient>(),
        };
        return new MSinkTSDB(client) { OwnsClient = true };
    }

    private static MSinkTSDB InfluxDb(IConfigurationSection section, IServiceProvider services)
    {
        OnlyKnownKeys(section, "Url", "Database", "Org", "Bucket", "Token", "BufferCapacity", "RateLimit");
        var urlSection = section.GetSection("Url");
        if (!Uri.TryCreate(urlSection.Value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw ConfigurationError.At(urlSection.Path, $"'{urlSection.Value}' is not an absolute http(s) URL such as http://influx:8086.");
        }

        var database = StringAt(section, "Database");
        var bucket = StringAt(section, "Bucket");
        var org = StringAt(section, "Org");
        if (bucket is null ? string.IsNullOrEmpty(database) : string.IsNullOrEmpty(org) || database is not null)
        {
            throw ConfigurationError.At(section.Path, "set Database (InfluxDB 1.x), or Org and Bucket (2.x, with Token).");
        }

        var factory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var client = new InfluxDbClient
        {
            Url = url,
            Database = database,
            Org = org,
            Bucket = bucket,
            Token = StringAt(section, "Token"),
            BufferCapacity = IntAt(section, "BufferCapacity", 1) ?? OpenTsdbClient.DefaultBufferCapacity,
            Logger = factory.CreateLogger<InfluxDbClient>(),
        };
        return new MSinkTSDB(client) { OwnsClient = true };
    }

    private static MSinkTSDB Graphite(IConfigurationSection section, IServiceProvider services)
    {
        OnlyKnownKeys(section, "Host", "Port", "BufferCapacity", "RateLimit");
        var (host, port) = HostAndPort(section, defaultPort: 2003);
        var factory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var client = new GraphiteClient
        {
            Host = host,
            Port = port,
            BufferCapacity = IntAt(section, "BufferCapacity", 1) ?? OpenTsdbClient.DefaultBufferCapacity,
            Logger = factory.CreateLogger<GraphiteClient>(),
        };
        return new MSinkTSDB(client) { OwnsClient = true };
    }

    /// <summary>A TCP server's Host (default localhost) and Port (1–65535).</summary>
    private static (string Host, int Port) HostAndPort(IConfigurationSection section, int defaultPort)
    {
        var host = StringAt(section, "Host");
        if (host is not null && string.IsNullOrWhiteSpace(host))
        {
            throw ConfigurationError.At(section.GetSection("Host").Path, "the host must not be empty.");
        }

        var port = IntAt(section, "Port", 1);
        if (port > 65535)
        {
            throw ConfigurationError.At(section.GetSection("Port").Path, $"'{port}' is not a port (1–65535).");
        }

        return (host ?? "localhost", port ?? defaultPort);
    }
}
