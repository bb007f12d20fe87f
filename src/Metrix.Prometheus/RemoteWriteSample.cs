namespace Metrix;

/// <summary>One sample to write: its series' labels (legal, sorted by name, <c>__name__</c> included), value and milliseconds.</summary>
internal sealed record RemoteWriteSample(string SeriesKey, KeyValuePair<string, string>[] Labels, double Value, long Milliseconds);
