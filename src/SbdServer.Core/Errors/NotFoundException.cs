namespace SbdServer.Core.Errors;

/// <summary>The named node, certificate, store entry, device, user or parameter does not exist.</summary>
public sealed class NotFoundException : DomainException
{
    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
