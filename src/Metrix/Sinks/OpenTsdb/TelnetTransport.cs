using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Metrix.Sinks.Writing;

namespace Metrix;

/// <summary>
/// <c>put &lt;metric&gt; &lt;seconds&gt; &lt;value&gt; &lt;k=v ...&gt;</c> lines over one TCP connection.
/// The protocol never acknowledges, so before each write the transport checks whether the server
/// has closed the connection (a restarted server has), and reconnects instead of writing into it.
/// </summary>
internal sealed class TelnetTransport(string host, int port, TimeSpan timeout, ILogger logger) : IPointTransport<OpenTsdbPoint>
{
    private TcpClient? _client;
    private NetworkStream? _stream;


    public async Task WriteAsync(IReadOnlyList<OpenTsdbPoint> points, CancellationToken cancellationToken)
    {
        if (_client is null || ServerClosed(_client.Client))
        {
            await ResetAsync().ConfigureAwait(false);
            var client = new TcpClient { NoDelay = true };
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connect.CancelAfter(timeout);
                await client.ConnectAsync(host, port, connect.Token).ConfigureAwait(false);
            }
            catch
            {
                client.Dispose();
                throw;
            }

            _client = client;
            _stream = client.GetStream();
        }

        var bytes = Encoding.UTF8.GetBytes(Format(points));
        using var write = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        write.CancelAfter(timeout);
        await _stream!.WriteAsync(bytes, write.Token).ConfigureAwait(false);
    }

    public ValueTask ResetAsync()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _stream = null;
        _client = null;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ResetAsync();

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

    /// <summary>
    /// True when the server closed the connection. OpenTSDB only ever writes error messages on this
    /// connection; those are logged, and readable-with-nothing-to-read means closed.
    /// </summary>
    private bool ServerClosed(Socket socket)
    {
        try
        {
            if (!socket.Poll(0, SelectMode.SelectRead))
            {
                return false;
            }

            if (socket.Available == 0)
            {
                return true;
            }

            var buffer = new byte[socket.Available];
            var read = socket.Receive(buffer);
            OpenTsdbLog.ServerReplied(logger, Encoding.UTF8.GetString(buffer, 0, read).Trim());
            return false;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
