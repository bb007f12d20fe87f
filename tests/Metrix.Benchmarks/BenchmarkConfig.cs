using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace Metrix.Benchmarks;

/// <summary>
/// One job for every workload: enough warm-up for OpenTelemetry (it measures ~4× slower unwarmed),
/// allocations per operation, and throughput in millions of operations per second.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddJob(Job.Default.WithWarmupCount(6).WithIterationCount(10).WithLaunchCount(1));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new MillionsPerSecondColumn());
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
    }

    private sealed class MillionsPerSecondColumn : IColumn
    {
        public string Id => nameof(MillionsPerSecondColumn);

        public string ColumnName => "M ops/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Millions of operations (sends) per second";

        public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase)
        {
            var report = summary[benchmarkCase];
            return report?.ResultStatistics is { } stats ? (1_000.0 / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-";
        }

        public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => false;
    }
}
