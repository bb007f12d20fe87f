namespace Metrix.Tests.Support;

/// <summary>A test against a real Graphite carbon-cache: skipped where it is not installed, except in CI (<c>CI=true</c>), where it must run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CarbonFactAttribute : FactAttribute
{
    public CarbonFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && !CarbonServer.IsInstalled())
        {
            Skip = "'carbon-cache' is not installed: apt-get install -y graphite-carbon python3-whisper (.ci/run does it).";
        }
    }
}
