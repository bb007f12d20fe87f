using System.Reactive.Concurrency;

namespace Metrix.Inputs;

/// <summary>The handle <see cref="MCoordinator.Timer(string, double, IReadOnlyDictionary{string, string})"/> returns: sends the elapsed time once, on first dispose.</summary>
internal sealed class MetricTimer : IDisposable
{
    private readonly StreamPipeline _pipeline;
    private readonly double _scale;
    private Series _series;
    private readonly IStopwatch _stopwatch;
    private readonly PipelineDiagnostics _diagnostics;
    private int _stopped;

    public MetricTimer(StreamPipeline pipeline, double scale, Series series, IStopwatch stopwatch, PipelineDiagnostics diagnostics)
    {
        _pipeline = pipeline;
        _scale = scale;
        _series = series;
        _stopwatch = stopwatch;
        _diagnostics = diagnostics;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        var value = _stopwatch.Elapsed.TotalSeconds * _scale;

        // Throwing from Dispose would mask the exception of a using block; report instead.
        if (!double.IsFinite(value))
        {
            _diagnostics.Dropped($"stream '{_pipeline.Config.Name}'", 1, $"a timer's elapsed time × scale ({_scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}) is not a finite number");
        }
        else if (!_pipeline.TryPost(value, ref _series))
        {
            _diagnostics.Dropped($"stream '{_pipeline.Config.Name}'", 1, "a timer stopped after the coordinator was disposed");
        }
    }
}
