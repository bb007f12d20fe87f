
namespace Metrix.Aggregation;

/// <summary>
/// One stream's aggregations, compiled once: what each group must keep, and how each output is
/// computed from it. Keeping raw values is the exception (custom functions, exact percentiles), so
/// a stream of decomposable aggregations holds memory per tag set, not per element.
/// </summary>
internal sealed class AggregationPlan
{
    private readonly bool _keepValues;
    private readonly bool _withVariance;
    private readonly bool _withExtremes;
    private readonly double[] _sketchErrors;
    private readonly Func<GroupAccumulator, double>[] _evaluators;

    public AggregationPlan(string streamName, KeyValuePair<string, MAgg>[] aggregations)
    {
        OutputNames = Array.ConvertAll(aggregations, a => streamName + "." + a.Key);
        var aggs = Array.ConvertAll(aggregations, a => a.Value);
        _keepValues = aggs.Any(a => a.Kind == AggregationKind.Values);
        _withVariance = aggs.Any(a => a.NeedsVariance);
        _withExtremes = aggs.Any(a => a.NeedsExtremes);
        TracksSendOrder = aggs.Any(a => a.ExposesOrder);

        // One sketch per distinct relative error serves every percentile asked at that error.
        _sketchErrors = [.. aggs.Where(a => a.Kind == AggregationKind.Sketch).Select(a => a.SketchRelativeError).Distinct()];
        _evaluators = Array.ConvertAll(aggs, Evaluator);
    }

    /// <summary><c>stream.agg</c> for each aggregation, in declared order.</summary>
    public string[] OutputNames { get; }

    public int Count => _evaluators.Length;

    /// <summary>
    /// Whether an aggregation's result depends on the order of a group's values beyond the first
    /// (<see cref="MAgg.Last"/>, custom functions): then every send takes a place in the stream's
    /// send order, so stripes merge in time order. Sums, extremes, moments and percentiles do not.
    /// </summary>
    public bool TracksSendOrder { get; }

    /// <summary>Whether a group's <see cref="GroupAccumulator.AddMoments"/> is all it needs per value: no raw values, no sketches.</summary>
    public bool MomentsOnly => !_keepValues && _sketchErrors.Length == 0;

    public GroupAccumulator NewGroup(Series series, long sequence) =>
        new(series, sequence, _keepValues, TracksSendOrder, _withVariance, _withExtremes, _sketchErrors);

    /// <summary>Computes aggregation <paramref name="index"/> over one group; may throw (a custom function).</summary>
    public double Evaluate(int index, GroupAccumulator group) => _evaluators[index](group);

    private Func<GroupAccumulator, double> Evaluator(MAgg agg)
    {
        switch (agg.Kind)
        {
            case AggregationKind.Moments:
                var fromMoments = agg.FromMoments!;
                return group => fromMoments(group.Moments);
            case AggregationKind.Sketch:
                var sketch = Array.IndexOf(_sketchErrors, agg.SketchRelativeError);
                var quantile = agg.SketchPercentile / 100;
                return group => group.Sketches[sketch].Quantile(quantile);
            default:
                var func = agg.Func;
                return group => func(group.Values);
        }
    }
}
