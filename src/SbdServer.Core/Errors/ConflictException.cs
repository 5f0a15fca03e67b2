namespace SbdServer.Core.Errors;

/// <summary>
/// The request is well formed but the cluster's current state does not allow it now (another change got there first,
/// the change needs a confirmation, another node holds the write lock). Nothing was changed; the message says whether
/// to retry, confirm or reload.
/// </summary>
public class ConflictException : DomainException
{
    public ConflictException(string message)
        : base(message)
    {
    }

    public ConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
