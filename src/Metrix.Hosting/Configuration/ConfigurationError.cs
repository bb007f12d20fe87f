namespace Metrix.Hosting.Configuration;

/// <summary>Builds the message of a configuration error: the full configuration path, then the problem.</summary>
internal static class ConfigurationError
{
    public static InvalidOperationException At(string path, string problem, Exception? inner = null) =>
        new($"Metrix configuration '{path}': {problem}", inner);
}
