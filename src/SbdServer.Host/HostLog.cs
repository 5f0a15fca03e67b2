namespace SbdServer.Host;

/// <summary>Host log messages. Event ids 3100-3199 belong to the host's security start and admin API.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning,
        Message = "{Key} was not configured; generated one for this new data directory and stored it in {Path}. Keep a copy in a safe place.")]
    public static partial void SecretGenerated(ILogger logger, string key, string path);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Database migrations applied ({Provider})")]
    public static partial void Migrated(ILogger logger, string provider);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Security state ready: {Outcome} (node {Node})")]
    public static partial void SecurityReady(ILogger logger, string outcome, string node);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Critical, Message = "Refusing to start: {Reason} (setting {Setting}, exit code {ExitCode})")]
    public static partial void StartRefused(ILogger logger, string reason, string setting, int exitCode);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Database not reachable yet (attempt {Attempt}, next in {DelaySeconds} s): {Reason}")]
    public static partial void DatabaseRetry(ILogger logger, int attempt, double delaySeconds, string reason);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Critical, Message = "Start failed unexpectedly (exit code {ExitCode})")]
    public static partial void StartFailed(ILogger logger, int exitCode, Exception exception);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Not ready: {Reasons}")]
    public static partial void NotReady(ILogger logger, string reasons);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "ITL of {Node} too large for phones ({Bytes} bytes): {Warning}")]
    public static partial void ItlOversized(ILogger logger, string node, int bytes, string warning);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Admin API request from {Remote} refused: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Information, Message = "Admin {Actor}: {Action} {Target}")]
    public static partial void AdminAction(ILogger logger, string actor, string action, string target);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning,
        Message = "Admin API suppressed {Count} similar {Kind} warning(s) from {Peer} in the last {Seconds} s (counted in /metrics)")]
    public static partial void WarningsSuppressed(ILogger logger, long count, string kind, string peer, int seconds);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Error, Message = "Admin API {Method} {Path} failed in the database; answered 503")]
    public static partial void DatabaseFailed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Warning,
        Message = "Admin account {User} locked for {Minutes} min after {Failures} wrong passwords (last from {Remote})")]
    public static partial void AccountLocked(ILogger logger, string user, int minutes, int failures, string remote);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Warning,
        Message = "Admin sign-ins from {Remote} refused for {Seconds} s after {Failures} failures")]
    public static partial void AddressBlocked(ILogger logger, string remote, int seconds, int failures);

    [LoggerMessage(EventId = 3116, Level = LogLevel.Error, Message = "Could not write the audit entry {Action} for {User}")]
    public static partial void AuditFailed(ILogger logger, string action, string user, Exception exception);

    [LoggerMessage(EventId = 3117, Level = LogLevel.Debug, Message = "Admin API request unreadable, answered {Status}")]
    public static partial void RequestUnreadable(ILogger logger, int status, Exception exception);

    [LoggerMessage(EventId = 3130, Level = LogLevel.Warning,
        Message = "Backup made without the CallManager private keys by {Actor} (CSCtn50405 simulation): restoring it needs missingKeys=keep-current")]
    public static partial void KeylessBackup(ILogger logger, string actor);

    [LoggerMessage(EventId = 3131, Level = LogLevel.Warning,
        Message = "Restored {Certificate} without its private key (by {Actor}): the node signs with a key that does not match it; phones cannot verify its files (CSCtn50405)")]
    public static partial void RestoredWithoutKey(ILogger logger, string certificate, string actor);
}
