namespace Metrix;

/// <summary>
/// Sends each element to a time-series database through an <see cref="ITsdbClient"/>, with its
/// <see cref="MElement.Timestamp"/> when it has one (aggregated elements always do).
/// </summary>
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
