namespace Metrix;

/// <summary>
/// Where aggregated elements go. One method, so a sink is trivial to write.
/// </summary>
/// <remarks>
/// The coordinator calls a sink from its own lane: never concurrently with itself, never on the
/// thread that called <see cref="MCoordinator.Send(string, double, IReadOnlyDictionary{string, string})"/>, one element at a time in emission order,
/// paced by the sink's rate limit. A sink may throw or be slow: the coordinator logs and counts
/// the failure, and neither the other sinks nor <c>Send</c> are affected.
/// </remarks>
public interface IMSink
{
    /// <summary>Receives one aggregated element.</summary>
    /// <param name="element">The element; never null.</param>
    void Emit(MElement element);
}
