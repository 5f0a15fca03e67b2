namespace SbdServer.Core.Errors;

/// <summary>
/// The caller said which version it had read (<c>If-Match</c>, the admin form's hidden field) and the record has moved
/// on since: nothing was changed. The API answers 412; the admin pages show the message.
/// </summary>
public sealed class VersionMismatchException : WriteConflictException
{
    public VersionMismatchException(string message)
        : base(message)
    {
    }
}
