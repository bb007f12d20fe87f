namespace Metrix.Sinks.Writing;

/// <summary>A protocol's way to a server: writes batches of encoded points; throws when a batch may not have been written.</summary>
/// <typeparam name="TPoint">The protocol's point.</typeparam>
internal interface IPointTransport<TPoint> : IAsyncDisposable
{
    /// <summary>Writes the points, connecting first if needed.</summary>
    /// <exception cref="PointsRejectedException">The server refused the batch: resending will not help.</exception>
    /// <exception cref="Exception">Anything else: the connection failed; reconnect and resend.</exception>
    Task WriteAsync(IReadOnlyList<TPoint> points, CancellationToken cancellationToken);

    /// <summary>Drops the connection, so the next write connects afresh.</summary>
    ValueTask ResetAsync();
}

/// <summary>
/// The server answered that it will not store a batch (an HTTP 4xx, say): resending would not help.
/// <see cref="Rejected"/> says how many of the batch's points it refused, when it stored the others
/// (InfluxDB's partial write); null means all of them.
/// </summary>
internal sealed class PointsRejectedException(string message, int? rejected = null) : Exception(message)
{
    public int? Rejected { get; } = rejected;
}
