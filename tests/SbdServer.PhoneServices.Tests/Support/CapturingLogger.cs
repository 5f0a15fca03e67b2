using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SbdServer.PhoneServices.Tests.Support;

/// <summary>Keeps every formatted log event so tests can count lines and read them.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Events { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Enqueue((eventId.Id, logLevel, formatter(state, exception)));

    public IEnumerable<string> Messages(int eventId) => Events.Where(e => e.EventId == eventId).Select(e => e.Message);
}
