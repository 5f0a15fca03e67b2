namespace SbdServer.Core.Storage;

/// <summary>
/// The caller said which version it had read (<c>If-Match</c>, the admin form's hidden field) and the row has moved on
/// since: nothing was changed. The API answers 412; the admin pages show the message.
/// </summary>
public sealed class VersionMismatchException : WriteConflictException
{
    public VersionMismatchException()
    {
    }

    public VersionMismatchException(string message)
        : base(message)
    {
    }

    public VersionMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
