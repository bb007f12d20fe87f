namespace Metrix.Sinks.Writing;

/// <summary>
/// A client's writer: started on the client's first point (its init-only settings are fixed by
/// then), disposed once, refusing points afterwards.
/// </summary>
/// <typeparam name="TPoint">The protocol's point.</typeparam>
internal sealed class LazyPointWriter<TPoint>(object owner)
{
    private readonly Lock _gate = new();
    private PointWriter<TPoint>? _writer;
    private volatile bool _disposed;

    /// <summary>Whether the client is disposed.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The writer, started by <paramref name="start"/> the first time.</summary>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public PointWriter<TPoint> Get(Func<PointWriter<TPoint>> start)
    {
        if (Volatile.Read(ref _writer) is { } started)
        {
            return started;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, owner);
            if (_writer is null)
            {
                Volatile.Write(ref _writer, start());
            }

            return _writer;
        }
    }

    /// <summary>Disposes the writer, if it was started: it writes what is buffered first. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        PointWriter<TPoint>? writer;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            writer = _writer;
        }

        if (writer is not null)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
