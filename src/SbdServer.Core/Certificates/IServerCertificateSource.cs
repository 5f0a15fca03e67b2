namespace SbdServer.Core.Certificates;

/// <summary>
/// The certificate and key a TLS listener of this node presents. A change (regeneration, CA-signed upload, restore,
/// host change) raises <see cref="Changed"/>; the listener then gives new connections the new pair while open ones
/// keep theirs.
/// </summary>
public interface IServerCertificateSource
{
    event EventHandler? Changed;

    /// <summary>A fresh copy of the certificate DER and the PKCS#8 key; the caller wipes the key bytes.</summary>
    ValueTask<CertificateWithKey> GetCurrentAsync(CancellationToken cancellationToken);
}
