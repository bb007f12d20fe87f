namespace Metrix.Delivery;

/// <summary>
/// Disposes the coordinator's sinks after its final drain, in the order they were added (as
/// Serilog disposes its sinks), so a sink that buffers (a database client) writes its last
/// points before the coordinator's dispose returns. A sink that throws is counted and logged; the
/// others are disposed all the same.
/// </summary>
internal static class SinkDisposal
{
    /// <summary>Disposes each sink (a coordinator holds a sink once): <see cref="IDisposable"/> first, else <see cref="IAsyncDisposable"/> (waited for).</summary>
    public static void DisposeAll(IEnumerable<IMSink> sinks, PipelineDiagnostics diagnostics)
    {
        foreach (var sink in sinks)
        {
            try
            {
                if (sink is IDisposable disposable)
                {
                    disposable.Dispose();
                }
                else if (sink is IAsyncDisposable asyncDisposable)
                {
                    asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
            catch (Exception ex)
            {
                diagnostics.SinkDisposeFailed(sink, ex);
            }
        }
    }

    /// <summary>Disposes each sink (a coordinator holds a sink once): <see cref="IAsyncDisposable"/> first (awaited), else <see cref="IDisposable"/>.</summary>
    public static async ValueTask DisposeAllAsync(IEnumerable<IMSink> sinks, PipelineDiagnostics diagnostics)
    {
        foreach (var sink in sinks)
        {
            try
            {
                if (sink is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                }
                else if (sink is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
            catch (Exception ex)
            {
                diagnostics.SinkDisposeFailed(sink, ex);
            }
        }
    }
}
