namespace Metrix;

/// <summary>A snapshot of what a coordinator has delivered and what went wrong. Every count only grows.</summary>
public sealed class MCoordinatorStatistics
{
    internal MCoordinatorStatistics(
        long delivered, long sinkFailures, long aggregationFailures, long dropped, long tagSetOverflows, long unroutedMeasurements, long rejectedMeasurements, DateTimeOffset? lastFailureAt)
    {
        LastFailureAt = lastFailureAt;
        UnroutedMeasurements = unroutedMeasurements;
        RejectedMeasurements = rejectedMeasurements;
        TagSetOverflows = tagSetOverflows;
        Delivered = delivered;
        SinkFailures = sinkFailures;
        AggregationFailures = aggregationFailures;
        Dropped = dropped;
    }

    /// <summary>Elements a sink accepted (its <see cref="IMSink.Emit"/> returned).</summary>
    public long Delivered { get; }

    /// <summary>Calls to <see cref="IMSink.Emit"/> that threw.</summary>
    public long SinkFailures { get; }

    /// <summary>Aggregation calls that threw (each costs one output element).</summary>
    public long AggregationFailures { get; }

    /// <summary>
    /// Elements that never reached a sink: a full sink queue, a shutdown that timed out, or a timer
    /// stopped after the coordinator was disposed. Each drop is also logged.
    /// </summary>
    public long Dropped { get; }

    /// <summary>
    /// Elements whose tag set came to a window that already had <see cref="MStream.MaxTagSets"/>
    /// tag sets: they were aggregated into that window's <c>metrix.overflow=true</c> group. The first
    /// overflow of each stream is logged.
    /// </summary>
    public long TagSetOverflows { get; }

    /// <summary>
    /// Measurements of instruments followed with <see cref="MCoordinator.ListenTo(string)"/> that have
    /// no stream of their name. The first of each instrument is logged.
    /// </summary>
    public long UnroutedMeasurements { get; }

    /// <summary>
    /// Measurements of followed instruments that Metrix refused (NaN or infinite values). The first
    /// of each instrument is logged.
    /// </summary>
    public long RejectedMeasurements { get; }

    /// <summary>
    /// When, on the coordinator's clock (<see cref="MCoordinator.Scheduler"/>), a sink or an
    /// aggregation last threw or an element was last dropped; null if never. The health check of
    /// Metrix.Hosting reads it.
    /// </summary>
    public DateTimeOffset? LastFailureAt { get; }

    /// <summary>The counts, for logs.</summary>
    public override string ToString() =>
        $"delivered={Delivered}, sink_failures={SinkFailures}, aggregation_failures={AggregationFailures}, dropped={Dropped}, tag_set_overflows={TagSetOverflows}, unrouted_measurements={UnroutedMeasurements}, rejected_measurements={RejectedMeasurements}";
}
