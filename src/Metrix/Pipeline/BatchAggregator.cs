namespace Metrix.Pipeline;

/// <summary>
/// Turns a closed batch into aggregated elements: for each aggregation in declared order, for
/// each group in order of first appearance, one element <c>stream.agg</c> with the group's tags.
/// </summary>
internal sealed class BatchAggregator
{
    private readonly string _streamName;
    private readonly string[] _outputNames;
    private readonly MAgg[] _aggregations;
    private readonly PipelineDiagnostics _diagnostics;

    public BatchAggregator(string streamName, KeyValuePair<string, MAgg>[] aggregations, PipelineDiagnostics diagnostics)
    {
        _streamName = streamName;
        _outputNames = Array.ConvertAll(aggregations, a => streamName + "." + a.Key);
        _aggregations = Array.ConvertAll(aggregations, a => a.Value);
        _diagnostics = diagnostics;
    }

    /// <remarks>
    /// An aggregation that throws costs only its own output for that group: the failure is
    /// counted and logged, and every other (aggregation, group) pair is still emitted.
    /// </remarks>
    public IReadOnlyList<MElement> Aggregate(Batch batch)
    {
        var groups = batch.Groups;

        // Read-only views: a custom function must not be able to reorder the values that the
        // next aggregation (first, last) still needs in arrival order.
        var views = new IReadOnlyList<double>[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            views[g] = groups[g].Value.AsReadOnly();
        }

        var output = new List<MElement>(_aggregations.Length * groups.Count);
        for (var a = 0; a < _aggregations.Length; a++)
        {
            for (var g = 0; g < groups.Count; g++)
            {
                double value;
                try
                {
                    value = _aggregations[a].Func(views[g]);
                }
                catch (Exception ex)
                {
                    _diagnostics.AggregationFailed(_streamName, _outputNames[a], groups[g].Key, ex);
                    continue;
                }

                output.Add(MElement.Create(_outputNames[a], value, groups[g].Key, batch.ClosedAt));
            }
        }

        return output;
    }
}
