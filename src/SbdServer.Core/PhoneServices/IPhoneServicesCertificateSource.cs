using SbdServer.Core.Certificates;

namespace SbdServer.Core.PhoneServices;

/// <summary>
/// The certificate and key the HTTPS phone services (port 8443) present: this node's tomcat identity. A change
/// (regeneration, CA-signed upload, restore, host change) raises <see cref="Changed"/>; the listener then gives new
/// connections the new pair while open ones keep theirs.
/// </summary>
public interface IPhoneServicesCertificateSource
{
    event EventHandler? Changed;

    /// <summary>A fresh copy of the certificate DER and the PKCS#8 key; the caller wipes the key bytes.</summary>
    ValueTask<CertificateWithKey> GetCurrentAsync(CancellationToken cancellationToken);
}
