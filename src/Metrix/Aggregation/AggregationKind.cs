namespace Metrix.Aggregation;

/// <summary>What state an aggregation needs per group, which decides what a stream keeps per value.</summary>
internal enum AggregationKind
{
    /// <summary>Every value, in arrival order (custom functions, exact percentiles): 8 bytes per value.</summary>
    Values,

    /// <summary>The O(1) <see cref="Aggregation.Moments"/>.</summary>
    Moments,

    /// <summary>A bounded <see cref="QuantileSketch"/> with a given relative error.</summary>
    Sketch,
}
