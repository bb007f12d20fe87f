using System.Collections;

namespace Metrix;

/// <summary>
/// The sinks of an <see cref="MCoordinator"/>, so that
/// <c>MSinks = { printer, { tsdbSink, TimeSpan.FromSeconds(1) } }</c> works in an initializer.
/// Adding here is the same as <see cref="MCoordinator.AddMSink"/>. Thread-safe.
/// </summary>
public sealed class MSinkCollection : IReadOnlyCollection<IMSink>
{
    private readonly MCoordinator _owner;

    internal MSinkCollection(MCoordinator owner) => _owner = owner;

    /// <summary>The number of sinks.</summary>
    public int Count => _owner.Sinks().Count;

    /// <summary>Adds a sink paced by the coordinator's <see cref="MCoordinator.RateLimit"/>.</summary>
    /// <inheritdoc cref="MCoordinator.AddMSink" path="/exception"/>
    public void Add(IMSink sink) => _owner.AddMSink(sink);

    /// <summary>Adds a sink paced by its own rate limit.</summary>
    /// <inheritdoc cref="MCoordinator.AddMSink" path="/exception"/>
    public void Add(IMSink sink, TimeSpan rateLimit) => _owner.AddMSink(sink, rateLimit);

    /// <summary>Enumerates the sinks in the order they were added.</summary>
    public IEnumerator<IMSink> GetEnumerator() => _owner.Sinks().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
