using System.Globalization;
using System.Text;
using Metrix.Sinks.Writing;
using Microsoft.Extensions.Logging;

namespace Metrix;

/// <summary>
/// OpenTSDB's telnet protocol: <c>put &lt;metric&gt; &lt;seconds&gt; &lt;value&gt; &lt;k=v ...&gt;</c>
/// lines over one TCP connection (see <see cref="LineTcpTransport{TPoint}"/>); error replies are logged.
/// </summary>
internal static class TelnetTransport
{
    public static LineTcpTransport<OpenTsdbPoint> Create(string host, int port, TimeSpan timeout, ILogger logger) =>
        new(host, port, timeout, Format, reply => OpenTsdbLog.ServerReplied(logger, reply));

    internal static string Format(IReadOnlyList<OpenTsdbPoint> points)
    {
        var text = new StringBuilder();
        foreach (var point in points)
        {
            text.Append("put ").Append(point.Metric)
                .Append(' ').Append(point.Timestamp.ToString(CultureInfo.InvariantCulture))
                .Append(' ').Append(point.Value.ToString("R", CultureInfo.InvariantCulture));
            foreach (var tag in point.Tags)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
