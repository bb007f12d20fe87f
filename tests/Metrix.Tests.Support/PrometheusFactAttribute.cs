namespace Metrix.Tests.Support;

/// <summary>A test against a real Prometheus: skipped where it is not installed, except in CI (<c>CI=true</c>), where it must run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && !PrometheusServer.IsInstalled())
        {
            Skip = $"'{PrometheusServer.Binary}' is not installed: apt-get install -y prometheus (.ci/run does it).";
        }
    }
}
