using Metrix.Aggregation;

namespace Metrix.Ingest;

/// <summary>
/// Where a bound series' values go in one stripe: that stripe, the window of its open batch when
/// the slot was made, and the series' accumulator in that batch. Immutable, so a slot read by one
/// thread while another replaces it is always whole.
/// </summary>
/// <remarks>
/// Valid while the stripe's batch is still for <see cref="Window"/>: window numbers never repeat,
/// so a batch recycled for a later window cannot pass for this one, and a batch never loses a
/// group while its window is open. A bound series adds through a slot with no lookup at all (see
/// <see cref="StreamPipeline.TryPostBound"/>): one slot shared by every thread until two of them
/// meet at its stripe, then one slot per stripe (see <see cref="MSeries"/>).
/// </remarks>
internal sealed class BoundSlot(Stripe stripe, long window, GroupAccumulator group)
{
    public Stripe Stripe { get; } = stripe;

    public long Window { get; } = window;

    public GroupAccumulator Group { get; } = group;
}
