using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SbdServer.Tvs.Tests.Support;

/// <summary>Keeps every log event so tests can assert "logged once" and read the message.</summary>
internal sealed class CollectingLogger<T> : ILogger<T>
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
