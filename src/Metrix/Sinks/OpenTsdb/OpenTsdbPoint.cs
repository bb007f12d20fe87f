namespace Metrix;

/// <summary>
/// One data point ready for OpenTSDB: sanitized names, at least one tag, a finite value and a
/// timestamp in the protocol's unit (seconds or milliseconds since the Unix epoch).
/// </summary>
internal readonly record struct OpenTsdbPoint(string Metric, double Value, KeyValuePair<string, string>[] Tags, long Timestamp)
{
    /// <summary>The series identity: the metric and its tags, as one string (names hold no space or '=').</summary>
    public string SeriesKey => Metric + " " + string.Join(' ', Tags.Select(t => t.Key + "=" + t.Value));
}
