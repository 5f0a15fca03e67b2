using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SbdServer.Tftp.Tests.Infrastructure;

/// <summary>Keeps formatted log lines (with event ids) in memory so tests can assert on what would reach the disk.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, LogLevel Level, string Message)> _lines = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyList<(int EventId, LogLevel Level, string Message)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Interlocked.Increment(ref owner._count);
            if (owner._lines.Count < 100_000)
            {
                owner._lines.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
            }
        }
    }
}
