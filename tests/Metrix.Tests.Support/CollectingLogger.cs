using Microsoft.Extensions.Logging;

namespace Metrix.Tests.Support;

/// <summary>An entry written to <see cref="CollectingLogger"/>, with its structured state.</summary>
public sealed record LogEntry(
    LogLevel Level,
    EventId EventId,
    string Message,
    IReadOnlyList<KeyValuePair<string, object?>> State,
    Exception? Exception)
{
    public object? this[string property] => State.Single(p => p.Key == property).Value;
}

/// <summary>An <see cref="ILogger"/> that keeps every entry. Thread-safe.</summary>
public sealed class CollectingLogger : ILogger
{
    private readonly object _gate = new();
    private readonly List<LogEntry> _entries = [];

    public LogLevel MinimumLevel { get; init; } = LogLevel.Trace;

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        lock (_gate)
        {
            _entries.Add(new LogEntry(logLevel, eventId, formatter(state, exception), [.. properties], exception));
        }
    }
}
