namespace SbdServer.Core.Certificates;

/// <summary>Key types CUCM offers when generating a certificate or CSR.</summary>
public enum KeyAlgorithm
{
    Rsa1024,
    Rsa2048,
    Rsa3072,
    Rsa4096,
    EcP256,
    EcP384,
    EcP521,
}

/// <summary>Subject parts of a CUCM-like certificate; <see cref="CommonName"/> is the node FQDN for identity certificates.</summary>
public sealed record SubjectName(
    string CommonName,
    string? OrganizationalUnit = null,
    string? Organization = null,
    string? Locality = null,
    string? State = null,
    string? Country = null);

/// <summary>What a certificate or CSR is for; decides key usage and extended key usage.</summary>
public enum CertificatePurpose
{
    /// <summary>CallManager / ipsec / tomcat: TLS server + client, IPsec end system.</summary>
    Identity,

    /// <summary>CAPF, ITLRecovery and test CAs: may sign other certificates.</summary>
    Authority,

    /// <summary>TVS: TLS server.</summary>
    TlsServer,

    /// <summary>A phone LSC or MIC.</summary>
    Phone,
}

/// <summary>Everything needed to mint a certificate or CSR.</summary>
/// <param name="Subject">Encoded in CUCM's RDN order CN, OU, O, L, ST, C (absent parts left out).</param>
/// <param name="Key">Key type; RSA keys sign with SHA-256, EC P-256/384/521 with SHA-256/384/512.</param>
/// <param name="Purpose">Decides basic constraints, key usage and extended key usage.</param>
/// <param name="SerialBytes">Exact serial length (1-20); random, first byte 01-7F so the DER INTEGER is positive
/// and exactly this long (the seed's CallManager has 10, TVS and CAPF 8).</param>
/// <param name="ValidityYears">notAfter = notBefore (whole seconds) + this many years (1-100).</param>
/// <param name="DnsNames">SAN dNSNames; null or empty writes no SAN extension.</param>
/// <param name="PathLength">For an <see cref="CertificatePurpose.Authority"/>: the basic constraints pathlen
/// (CAPF: 0, it issues only LSCs); null writes none.</param>
public sealed record CertificateSpec(
    SubjectName Subject,
    KeyAlgorithm Key = KeyAlgorithm.Rsa2048,
    CertificatePurpose Purpose = CertificatePurpose.Identity,
    int SerialBytes = 16,
    int ValidityYears = 5,
    IReadOnlyList<string>? DnsNames = null,
    int? PathLength = null);

/// <summary>A certificate and its private key (PKCS#8 DER). The caller owns the key bytes and must wipe them.</summary>
public sealed record CertificateWithKey(byte[] CertificateDer, byte[] PrivateKeyPkcs8);

/// <summary>Mints keys, certificates and CSRs. Implemented by SbdServer.Crypto.</summary>
public interface ICertificateFactory
{
    /// <summary>A new key pair and a self-signed certificate valid from <paramref name="notBefore"/>.</summary>
    CertificateWithKey CreateSelfSigned(CertificateSpec spec, DateTimeOffset notBefore);

    /// <summary>A new key pair and a certificate signed by <paramref name="issuer"/>.</summary>
    CertificateWithKey CreateSigned(CertificateSpec spec, DateTimeOffset notBefore, CertificateWithKey issuer);

    /// <summary>
    /// A certificate for a key held elsewhere (a phone's LSC: CAPF only ever sees the public key), signed by
    /// <paramref name="issuer"/>, which must be a CA.
    /// </summary>
    byte[] IssueForPublicKey(CertificateSpec spec, byte[] subjectPublicKeyInfo, DateTimeOffset notBefore, CertificateWithKey issuer);

    /// <summary>A self-signed certificate for an existing key (regeneration that keeps the key).</summary>
    byte[] CreateSelfSignedForKey(CertificateSpec spec, DateTimeOffset notBefore, byte[] privateKeyPkcs8);

    /// <summary>A PKCS#10 CSR (DER) for an existing key.</summary>
    byte[] CreateCsr(CertificateSpec spec, byte[] privateKeyPkcs8);
}
