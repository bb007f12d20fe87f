using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Metrix.Sinks.Writing;

/// <summary>How a <see cref="PointWriter{TPoint}"/> buffers, retries and shuts down.</summary>
/// <param name="Client">The client's name, for logs (<c>OpenTSDB client</c>).</param>
/// <param name="Endpoint">The server, for logs.</param>
/// <param name="BufferCapacity">How many points wait for the server at most.</param>
/// <param name="MaxBatchSize">How many points one write carries at most.</param>
/// <param name="SendTimeout">How long a send waits for room in a full buffer.</param>
/// <param name="DisposeTimeout">How long dispose keeps writing what is buffered.</param>
/// <param name="ReconnectDelay">The first wait after a failed write (then doubling, with jitter).</param>
/// <param name="MaxReconnectDelay">The longest wait between attempts.</param>
/// <param name="Logger">Where failures, reconnections and losses are reported.</param>
/// <param name="TimeProvider">The clock for waits and timeouts.</param>
internal sealed record PointWriterSettings(
    string Client,
    string Endpoint,
    int BufferCapacity,
    int MaxBatchSize,
    TimeSpan SendTimeout,
    TimeSpan DisposeTimeout,
    TimeSpan ReconnectDelay,
    TimeSpan MaxReconnectDelay,
    ILogger Logger,
    TimeProvider TimeProvider);

/// <summary>
/// What every network client needs, whatever its protocol: a bounded buffer, one writer task that
/// takes batches from it, reconnection with exponential backoff and jitter, the resend of a batch
/// whose write failed (so points go out in order and none is skipped), counts and logs of every
/// loss, and a dispose that writes what is buffered first. A protocol brings only its
/// <see cref="IPointTransport{TPoint}"/>.
/// </summary>
/// <typeparam name="TPoint">The protocol's point, checked and encoded before it is buffered.</typeparam>
internal sealed class PointWriter<TPoint> : IAsyncDisposable
{
    private readonly PointWriterSettings _settings;
    private readonly IPointTransport<TPoint> _transport;
    private readonly WriteCounters _counters;
    private readonly Channel<TPoint> _buffer;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _writer;

    public PointWriter(PointWriterSettings settings, IPointTransport<TPoint> transport, WriteCounters counters, Func<double>? random = null)
    {
        _settings = settings;
        _transport = transport;
        _counters = counters;
        _buffer = Channel.CreateBounded<TPoint>(new BoundedChannelOptions(settings.BufferCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var backoff = new Backoff(settings.ReconnectDelay, settings.MaxReconnectDelay, random ?? Random.Shared.NextDouble);
        _writer = Task.Run(() => WriteAllAsync(backoff, _abort.Token));
    }

    /// <summary>Buffers one point, waiting up to <c>SendTimeout</c> for room.</summary>
    /// <exception cref="TimeoutException">The buffer stayed full; the point was dropped (counted and logged).</exception>
    /// <exception cref="ObjectDisposedException">The writer is disposed.</exception>
    public void Enqueue(TPoint point, string describe)
    {
        if (_buffer.Writer.TryWrite(point))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_settings.SendTimeout, _settings.TimeProvider);
        try
        {
            _buffer.Writer.WriteAsync(point, timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            Drop(1, "the buffer stayed full for SendTimeout");
            throw new TimeoutException(
                $"{_settings.Client} for {_settings.Endpoint}: the buffer of {_settings.BufferCapacity} points stayed full for {_settings.SendTimeout}; the point {describe} was dropped.");
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(_settings.Client);
        }
    }

    /// <summary>Counts and logs points that will never be written.</summary>
    public void Drop(long count, string reason)
    {
        if (count == 0)
        {
            return;
        }

        _counters.AddDropped(count);
        WriterLog.Dropped(_settings.Logger, _settings.Client, _settings.Endpoint, count, reason);
    }

    /// <summary>
    /// Stops accepting points and writes what is buffered for up to <c>DisposeTimeout</c>; what is
    /// left then is counted and logged. Then closes the transport.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_buffer.Writer.TryComplete())
        {
            return;
        }

        try
        {
            await _writer.WaitAsync(_settings.DisposeTimeout, _settings.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Stop retrying: the writer counts and reports what it could not write.
            await _abort.CancelAsync().ConfigureAwait(false);
            await _writer.ConfigureAwait(false);
        }

        await _transport.DisposeAsync().ConfigureAwait(false);
        _abort.Dispose();
    }

    /// <summary>
    /// The one writer: takes batches from the buffer and writes them; a batch that fails is kept
    /// and written again after a backoff; a batch the server refuses is dropped (resending would not help).
    /// </summary>
    private async Task WriteAllAsync(Backoff backoff, CancellationToken abort)
    {
        var reader = _buffer.Reader;
        var batch = new List<TPoint>(_settings.MaxBatchSize);
        try
        {
            while (true)
            {
                if (batch.Count == 0)
                {
                    if (!await reader.WaitToReadAsync(abort).ConfigureAwait(false))
                    {
                        return;
                    }

                    while (batch.Count < _settings.MaxBatchSize && reader.TryRead(out var point))
                    {
                        batch.Add(point);
                    }
                }

                try
                {
                    await _transport.WriteAsync(batch, abort).ConfigureAwait(false);
                    _counters.AddWritten(batch.Count);
                    batch.Clear();
                    if (backoff.Failures > 0)
                    {
                        WriterLog.Reconnected(_settings.Logger, _settings.Client, _settings.Endpoint, backoff.Failures);
                        backoff.Reset();
                    }
                }
                catch (PointsRejectedException ex)
                {
                    var rejected = ex.Rejected ?? batch.Count;
                    _counters.AddWritten(batch.Count - rejected);
                    Drop(rejected, "the server rejected them (" + ex.Message + ")");
                    batch.Clear();
                }
                catch (Exception ex) when (!abort.IsCancellationRequested)
                {
                    var delay = backoff.Next();
                    _counters.AddFailedWrite();
                    WriterLog.WriteFailed(_settings.Logger, _settings.Client, batch.Count, _settings.Endpoint, delay, ex.Message);
                    await _transport.ResetAsync().ConfigureAwait(false);
                    await Task.Delay(delay, _settings.TimeProvider, abort).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
            // Dispose gave up: whether the last attempt was cancelled or failed as it was being
            // cancelled (a refused connection), what is left is counted, never thrown at dispose.
            var left = batch.Count;
            while (reader.TryRead(out _))
            {
                left++;
            }

            Drop(left, $"dispose gave up after DisposeTimeout ({_settings.DisposeTimeout}) while the server was unreachable");
        }
    }
}
