namespace Metrix;

/// <summary>A client that writes data points to a time-series database such as OpenTSDB.</summary>
public interface ITsdbClient
{
    /// <summary>Writes one data point.</summary>
    /// <param name="metric">The metric name, e.g. <c>wc.mean</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="tags">The tags; empty when the element has none, never null.</param>
    void Send(string metric, double value, IReadOnlyDictionary<string, string> tags);
}
