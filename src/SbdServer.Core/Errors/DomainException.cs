namespace SbdServer.Core.Errors;

/// <summary>
/// A request the domain refuses. The message is the reason in the user's terms (the field, the rule, what to do) and is
/// shown as is by the API (problem <c>detail</c>), the admin pages and the CLI: it never carries key material, server
/// paths or .NET type names. Each subclass is one kind of refusal; the host maps the kind to a status once.
/// </summary>
public abstract class DomainException : Exception
{
    protected DomainException(string message)
        : base(message)
    {
    }

    protected DomainException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
