namespace SbdServer.Core.Certificates;

/// <summary>CUCM's certificate upload rules. Implemented by SbdServer.Crypto; "now" comes from its TimeProvider.</summary>
public interface ICertificateValidator
{
    /// <summary>
    /// A trust-store upload: refuses malformed, expired, not yet valid, wildcard (<c>*</c> in CN or SAN) certificates,
    /// keys over 4096 bits and key types other than RSA and EC.
    /// </summary>
    TrustValidationResult ValidateTrustUpload(ReadOnlySpan<byte> certificateDer);

    /// <summary>
    /// A CA-signed certificate for a pending CSR: it must pass <see cref="ValidateTrustUpload"/>'s rules, carry the
    /// public key of <paramref name="pendingPrivateKeyPkcs8"/>,
    /// and chain (through <paramref name="trustCertificates"/> and <paramref name="extraChain"/>) to a self-signed
    /// certificate of <paramref name="trustCertificates"/>.
    /// </summary>
    TrustValidationResult ValidateIssuedCertificate(
        ReadOnlySpan<byte> certificateDer,
        ReadOnlySpan<byte> pendingPrivateKeyPkcs8,
        IEnumerable<byte[]> trustCertificates,
        IEnumerable<byte[]>? extraChain = null);
}
