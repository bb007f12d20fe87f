namespace Metrix;

/// <summary>One row of the points table: UTC time, name, tags as JSON, value; and its series, for logs.</summary>
internal sealed record PostgreSqlRow(DateTime Time, string Name, string TagsJson, double Value, string Series);
