using Microsoft.Extensions.Logging;

namespace Metrix.Tests.Support;

/// <summary>A broken logger: every write throws, as Microsoft.Extensions.Logging does when a provider fails.</summary>
public sealed class ThrowingLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        throw new AggregateException(new InvalidOperationException("logging provider failed"));
}
