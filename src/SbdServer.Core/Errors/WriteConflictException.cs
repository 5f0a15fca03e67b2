namespace SbdServer.Core.Errors;

/// <summary>
/// A change was based on a read that is no longer current: another administrator or node changed (or removed, or
/// created) the same record between the read and the commit. Nothing was written; the caller reloads and retries.
/// </summary>
public class WriteConflictException : ConflictException
{
    /// <summary>The words every such refusal ends with, in the administrator's terms.</summary>
    public const string Advice = "reload and retry";

    public WriteConflictException(string message)
        : base(message)
    {
    }

    public WriteConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>"{what} was changed by another administrator or node since you loaded it; reload and retry."</summary>
    public static string ChangedSinceLoaded(string what) =>
        $"{what} was changed by another administrator or node since you loaded it; {Advice}.";
}
