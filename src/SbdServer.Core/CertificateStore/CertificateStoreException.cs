namespace SbdServer.Core.CertificateStore;

/// <summary>
/// A request the store refuses (bad input or a broken rule). The message is safe to show to the administrator: it
/// names the field and the reason and never carries key material or server paths.
/// </summary>
public class CertificateStoreException : Exception
{
    public CertificateStoreException()
    {
    }

    public CertificateStoreException(string message)
        : base(message)
    {
    }

    public CertificateStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
