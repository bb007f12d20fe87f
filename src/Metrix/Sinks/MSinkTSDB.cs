namespace Metrix;

/// <summary>
/// Sends each element to a time-series database through an <see cref="ITsdbClient"/>, with its
/// <see cref="MElement.Timestamp"/> when it has one (aggregated elements always do).
/// </summary>
/// <remarks>
/// Every element goes to the client as it is, non-finite values included (the <c>stdev</c> of a
/// window with one value is NaN): what a database cannot store is the client's to decide. The
/// built-in clients skip such values, count them in their <c>Statistics.Dropped</c> and log them
/// once per series, so they never surface as sink failures.
/// <para>With <see cref="OwnsClient"/>, disposing the sink disposes its client; the coordinator
/// disposes its sinks after its final drain, so the last window reaches the database before the
/// coordinator's dispose returns.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var mc = new MCoordinator
/// {
///     MStreams = { new MStream("latency") { Agg = { MAgg.Mean }, WindowSize = TimeSpan.FromSeconds(10) } },
///     MSinks = { new MSinkTSDB(new OpenTsdbClient { Host = "tsdb.local" }) { OwnsClient = true } },
/// };
/// </code>
/// </example>
public sealed class MSinkTSDB : IMSink, IDisposable, IAsyncDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    /// <summary>Sends through <paramref name="client"/>, which the caller owns.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public MSinkTSDB(ITsdbClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
    }

    /// <summary>The client the elements go to.</summary>
    public ITsdbClient Client { get; }

    /// <summary>
    /// Whether disposing this sink disposes <see cref="Client"/> (when it is <see cref="IDisposable"/>
    /// or <see cref="IAsyncDisposable"/>). Default false: the caller owns the client.
    /// </summary>
    public bool OwnsClient { get; init; }

    /// <inheritdoc />
    public void Emit(MElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element.Timestamp is { } timestamp)
        {
            Client.Send(element.Name, element.Value, element.Tags ?? NoTags, timestamp);
        }
        else
        {
            Client.Send(element.Name, element.Value, element.Tags ?? NoTags);
        }
    }

    /// <summary>Disposes <see cref="Client"/> when the sink owns it (waiting for an asynchronous-only client); otherwise does nothing.</summary>
    public void Dispose()
    {
        if (!OwnsClient)
        {
            return;
        }

        if (Client is IDisposable disposable)
        {
            disposable.Dispose();
        }
        else if (Client is IAsyncDisposable asyncDisposable)
        {
            asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Disposes <see cref="Client"/> when the sink owns it, asynchronously when it can; otherwise does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!OwnsClient)
        {
            return;
        }

        if (Client is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (Client is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>Names the sink and its client for logs and <see cref="MCoordinator.ToString"/>.</summary>
    public override string ToString() => $"MSinkTSDB({Client})";
}
