namespace Metrix.Tests.Support;

/// <summary>A test against a real InfluxDB: skipped where it is not installed, except in CI (<c>CI=true</c>), where it must run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InfluxDbFactAttribute : FactAttribute
{
    public InfluxDbFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && !InfluxDbServer.IsInstalled())
        {
            Skip = $"'{InfluxDbServer.Binary}' is not installed: apt-get install -y influxdb (.ci/run does it).";
        }
    }
}
