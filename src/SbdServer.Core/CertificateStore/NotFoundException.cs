namespace SbdServer.Core.CertificateStore;

/// <summary>The named node, certificate, store entry or parameter does not exist.</summary>
public sealed class NotFoundException : CertificateStoreException
{
    public NotFoundException()
    {
    }

    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
