using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SbdServer.Testing;

/// <summary>Keeps every formatted log event so tests can assert "logged once", count lines and read them.</summary>
public sealed class CollectingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Events { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Enqueue((eventId.Id, logLevel, formatter(state, exception)));

    public int Count(int eventId) => Events.Count(e => e.EventId == eventId);

    public IEnumerable<string> Messages(int eventId) => Events.Where(e => e.EventId == eventId).Select(e => e.Message);
}
