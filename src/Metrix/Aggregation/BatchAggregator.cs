using Metrix.Aggregation;

namespace Metrix.Aggregation;

/// <summary>
/// Turns a closed batch into aggregated elements: for each aggregation in declared order, for
/// each group in order of first appearance, one element <c>stream.agg</c> with the group's tags,
/// stamped with the time the batch closed.
/// </summary>
internal sealed class BatchAggregator
{
    private readonly string _streamName;
    private readonly AggregationPlan _plan;
    private readonly PipelineContext _context;

    public BatchAggregator(string streamName, AggregationPlan plan, PipelineContext context)
    {
        _streamName = streamName;
        _plan = plan;
        _context = context;
    }

    /// <remarks>
    /// An aggregation that throws costs only its own output for that group: the failure is
    /// counted and logged, and every other (aggregation, group) pair is still emitted.
    /// </remarks>
    public IReadOnlyList<MElement> Aggregate(Batch batch)
    {
        var groups = batch.Groups;
        var output = new List<MElement>(_plan.Count * groups.Count);

        // The coordinator's common tags sit below each group's (its stream's defaults and the
        // send's): merged once per group, not per element.
        var common = _context.CommonTags;
        var tags = new TagSet[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            tags[g] = common.Count == 0 ? groups[g].Tags : TagSet.Merge(common, groups[g].Tags.Pairs, "tags");
        }

        for (var a = 0; a < _plan.Count; a++)
        {
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                double value;
                try
                {
                    value = _plan.Evaluate(a, group);
                }
                catch (Exception ex)
                {
                    _context.Diagnostics.AggregationFailed(_streamName, _plan.OutputNames[a], tags[g], ex);
                    continue;
                }

                output.Add(MElement.Create(_plan.OutputNames[a], value, tags[g], batch.ClosedAt));
            }
        }

        return output;
    }
}
