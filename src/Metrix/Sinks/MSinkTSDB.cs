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
/// </remarks>
public sealed class MSinkTSDB : IMSink
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

    /// <summary>Names the sink and its client for logs and <see cref="MCoordinator.ToString"/>.</summary>
    public override string ToString() => $"MSinkTSDB({Client})";
}
