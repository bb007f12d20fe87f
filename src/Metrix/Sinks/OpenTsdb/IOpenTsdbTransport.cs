namespace Metrix;

/// <summary>Writes batches of points to the server; throws when a batch may not have been written.</summary>
internal interface IOpenTsdbTransport : IAsyncDisposable
{
    /// <summary>The unit of <see cref="OpenTsdbPoint.Timestamp"/> for this protocol.</summary>
    bool MillisecondTimestamps { get; }

    /// <summary>Writes the points, connecting first if needed.</summary>
    /// <exception cref="OpenTsdbRejectedException">The server refused the batch: resending will not help.</exception>
    /// <exception cref="Exception">Anything else: the connection failed; reconnect and resend.</exception>
    Task WriteAsync(IReadOnlyList<OpenTsdbPoint> points, CancellationToken cancellationToken);

    /// <summary>Drops the connection, so the next write connects afresh.</summary>
    ValueTask ResetAsync();
}

/// <summary>The server answered that it will not store a batch (an HTTP 4xx): resending would not help.</summary>
internal sealed class OpenTsdbRejectedException(string message) : Exception(message);
