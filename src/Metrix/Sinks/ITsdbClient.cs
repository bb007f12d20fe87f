namespace Metrix;

/// <summary>A client that writes data points to a time-series database such as OpenTSDB.</summary>
/// <remarks>
/// <see cref="MSinkTSDB"/> calls the overload with a timestamp for aggregated elements (the time
/// their batch or window closed). A client that implements only the three-argument
/// <see cref="Send(string, double, IReadOnlyDictionary{string, string})"/> keeps working: the
/// timestamped overload falls back to it.
/// </remarks>
public interface ITsdbClient
{
    /// <summary>Writes one data point, stamped by the client (typically with the current time).</summary>
    /// <param name="metric">The metric name, e.g. <c>wc.mean</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="tags">The tags; empty when the element has none, never null.</param>
    void Send(string metric, double value, IReadOnlyDictionary<string, string> tags);

    /// <summary>Writes one data point measured at <paramref name="timestamp"/>.</summary>
    /// <param name="metric">The metric name, e.g. <c>wc.mean</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="tags">The tags; empty when the element has none, never null.</param>
    /// <param name="timestamp">When the value was measured.</param>
    void Send(string metric, double value, IReadOnlyDictionary<string, string> tags, DateTimeOffset timestamp) =>
        Send(metric, value, tags);
}
