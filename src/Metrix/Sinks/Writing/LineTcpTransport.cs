using System.Net.Sockets;
using System.Text;

namespace Metrix.Sinks.Writing;

/// <summary>
/// Text lines over one TCP connection (OpenTSDB's <c>put</c>, Graphite's plaintext). Such
/// protocols never acknowledge, so before each write the transport checks whether the server has
/// closed the connection (a restarted server has), and reconnects instead of writing into it.
/// </summary>
/// <typeparam name="TPoint">The protocol's point.</typeparam>
/// <param name="host">The server.</param>
/// <param name="port">Its port.</param>
/// <param name="timeout">How long a connection attempt, and a write, may take.</param>
/// <param name="format">Turns a batch into its lines, each ending with LF.</param>
/// <param name="replied">Reports what the server wrote back (OpenTSDB writes errors), if anything.</param>
internal sealed class LineTcpTransport<TPoint>(string host, int port, TimeSpan timeout, Func<IReadOnlyList<TPoint>, string> format, Action<string> replied) : IPointTransport<TPoint>
{
    private TcpClient? _client;
    private NetworkStream? _stream;

    public async Task WriteAsync(IReadOnlyList<TPoint> points, CancellationToken cancellationToken)
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

        var bytes = Encoding.UTF8.GetBytes(format(points));
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

    /// <summary>
    /// True when the server closed the connection. A server only ever writes error messages on this
    /// connection; those are reported, and readable-with-nothing-to-read means closed.
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
            replied(Encoding.UTF8.GetString(buffer, 0, read).Trim());
            return false;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
