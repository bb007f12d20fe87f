namespace Metrix.Ingest;

/// <summary>What <see cref="StreamPipeline.TryPostBound"/> did with a bound series' value.</summary>
internal enum BoundPost
{
    /// <summary>Added through the slot.</summary>
    Added,

    /// <summary>Not added: no slot, a close under way, or the slot's window has closed.</summary>
    Moved,

    /// <summary>Not added: another thread held the slot's stripe, and the caller would not wait.</summary>
    Busy,
}
