namespace Metrix.Tests.Support;

/// <summary>A test against a real PostgreSQL 15: skipped where it is not installed, except in CI (<c>CI=true</c>), where it must run.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && !PostgreSqlServer.IsInstalled())
        {
            Skip = $"PostgreSQL 15 is not installed under {PostgreSqlServer.BinDirectory}: apt-get install -y postgresql-15 (.ci/run does it).";
        }
    }
}
