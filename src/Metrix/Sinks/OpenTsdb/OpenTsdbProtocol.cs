namespace Metrix;

/// <summary>How <see cref="OpenTsdbClient"/> talks to the server.</summary>
public enum OpenTsdbProtocol
{
    /// <summary>
    /// <c>put</c> lines over TCP (OpenTSDB's telnet protocol, default port 4242). Timestamps are whole
    /// seconds. The server never acknowledges lines: the client detects a closed connection before
    /// each write and resends what it could not write, but lines the operating system accepted just
    /// before the server died can be lost unnoticed.
    /// </summary>
    Telnet,

    /// <summary>
    /// JSON batches posted to <c>/api/put</c> over HTTP. Timestamps are milliseconds, and each batch
    /// counts as written only when the server answers with success.
    /// </summary>
    Http,
}
