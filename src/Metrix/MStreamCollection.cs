using System.Collections;

namespace Metrix;

/// <summary>
/// The streams of an <see cref="MCoordinator"/>, so that <c>MStreams = { new MStream("a") { … } }</c>
/// works in an initializer. Adding here is the same as <see cref="MCoordinator.AddMStream"/>.
/// Thread-safe.
/// </summary>
public sealed class MStreamCollection : IReadOnlyCollection<MStream>
{
    private readonly MCoordinator _owner;

    internal MStreamCollection(MCoordinator owner) => _owner = owner;

    /// <summary>The number of streams.</summary>
    public int Count => _owner.StreamConfigs().Count;

    /// <summary>The stream of the metric <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No stream has that name.</exception>
    public MStream this[string name] => _owner.Stream(name).Config;

    /// <summary>Adds a stream: the same as <see cref="MCoordinator.AddMStream"/>.</summary>
    /// <inheritdoc cref="MCoordinator.AddMStream" path="/exception"/>
    public void Add(MStream stream) => _owner.AddMStream(stream);

    /// <summary>Enumerates the streams in the order they were added.</summary>
    public IEnumerator<MStream> GetEnumerator() => _owner.StreamConfigs().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
