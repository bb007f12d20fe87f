namespace Metrix.Tests.Support;

/// <summary>
/// A test against a real VictoriaMetrics server. Where the server is not installed it is skipped
/// with the reason shown, except in CI (<c>CI=true</c>), where a missing server must fail the run:
/// there the test runs and reports how to install it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VictoriaMetricsFactAttribute : FactAttribute
{
    public VictoriaMetricsFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && !VictoriaMetricsServer.IsInstalled())
        {
            Skip = NotInstalledReason;
        }
    }

    private static string NotInstalledReason =>
        $"'{VictoriaMetricsServer.Binary}' is not installed: apt-get install -y victoria-metrics (.ci/run does it).";
}
