using Metrix.Aggregation;

namespace Metrix.Pipeline;

/// <summary>
/// Turns a closed batch into aggregated elements: for each aggregation in declared order, for
/// each group in order of first appearance, one element <c>stream.agg</c> with the group's tags,
/// stamped with the time the batch closed.
/// </summary>
internal sealed class BatchAggregator
{
    private readonly string _streamName;
    private readonly AggregationPlan _plan;
    private readonly PipelineDiagnostics _diagnostics;

    public BatchAggregator(string streamName, AggregationPlan plan, PipelineDiagnostics diagnostics)
    {
        _streamName = streamName;
        _plan = plan;
        _diagnostics = diagnostics;
    }

    /// <remarks>
    /// An aggregation that throws costs only its own output for that group: the failure is
    /// counted and logged, and every other (aggregation, group) pair is still emitted.
    /// </remarks>
    public IReadOnlyList<MElement> Aggregate(Batch batch)
    {
        var groups = batch.Groups;
        var output = new List<MElement>(_plan.Count * groups.Count);
        for (var a = 0; a < _plan.Count; a++)
        {
            foreach (var group in groups)
            {
                double value;
                try
                {
                    value = _plan.Evaluate(a, group);
                }
                catch (Exception ex)
                {
                    _diagnostics.AggregationFailed(_streamName, _plan.OutputNames[a], group.Tags, ex);
                    continue;
                }

                output.Add(MElement.Create(_plan.OutputNames[a], value, group.Tags, batch.ClosedAt));
            }
        }

        return output;
    }
}
