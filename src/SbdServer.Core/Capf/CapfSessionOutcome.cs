namespace SbdServer.Core.Capf;

/// <summary>How a CAPF session ended, for the session log and the counters.</summary>
public enum CapfSessionOutcome
{
    Installed = 0,
    Fetched = 1,
    Deleted = 2,
    NoOperation = 3,
    UnknownDevice = 4,
    AuthenticationFailed = 5,
    DeadlinePassed = 6,
    Failed = 7,
    ProtocolViolation = 8,
    TimedOut = 9,
    InternalError = 10,
}

/// <summary>One CAPF session: who connected, as which device, how it authenticated and what came of it.</summary>
public sealed record CapfSessionRecord(
    DateTimeOffset At,
    string RemoteAddress,
    uint SessionId,
    string? DeviceName,
    string Operation,
    string AuthMode,
    CapfSessionOutcome Outcome,
    string? Detail,
    string? LscSerial,
    double DurationMilliseconds);
