using SbdServer.Core.Certificates;

namespace SbdServer.Core.Tvs;

/// <summary>
/// This node's current TVS certificate and key (what the listener presents). The certificate-management side
/// raises <see cref="Changed"/> after a regeneration or upload; the listener then loads the new pair and uses it
/// for new connections while open ones finish on the old one.
/// </summary>
public interface ITvsCertificateSource
{
    event EventHandler? Changed;

    /// <summary>A fresh copy of the certificate DER and the PKCS#8 key; the caller wipes the key bytes.</summary>
    ValueTask<CertificateWithKey> GetCurrentAsync(CancellationToken cancellationToken);
}
