using Microsoft.Extensions.Logging;

namespace Metrix.Hosting.Tests;

/// <summary>A logger provider that keeps every message with its category. Thread-safe.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly List<(string Category, string Text)> _messages = [];

    public IReadOnlyList<(string Category, string Text)> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, CollectingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._messages)
            {
                owner._messages.Add((category, formatter(state, exception)));
            }
        }
    }
}
