using SbdServer.Core.Errors;

namespace SbdServer.Core.Certificates;

/// <summary>Certificate or key input that cannot be used; the message is safe to show to an operator.</summary>
public sealed class CertificateImportException : InvalidInputException
{
    public CertificateImportException(string message)
        : base(message)
    {
    }

    public CertificateImportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
