namespace SbdServer.Core.Certificates;

/// <summary>What the store, the API and the ITL builder need to know about one certificate.</summary>
/// <param name="Sha1">SHA-1 of the DER, lower-case hex.</param>
/// <param name="Sha256">SHA-256 of the DER, lower-case hex (the trust-store key).</param>
/// <param name="Md5">MD5 of the DER, lower-case hex (the <c>certHash</c> of encrypted configs).</param>
/// <param name="SerialNumber">Serial as an unsigned number in upper-case hex without a sign byte, as CUCM keys it.</param>
/// <param name="Subject">Subject DN in CUCM style (<c>CN=..;OU=..;O=..</c>), RDNs in the certificate's order.</param>
/// <param name="Issuer">Issuer DN in CUCM style.</param>
/// <param name="CommonName">The subject's first CN, empty when it has none.</param>
/// <param name="NotBefore">Start of validity (UTC).</param>
/// <param name="NotAfter">End of validity (UTC).</param>
/// <param name="PublicKeyAlgorithm"><c>RSA</c>, <c>EC</c>, or the algorithm OID for anything else.</param>
/// <param name="KeySizeBits">RSA modulus size or EC field size in bits; 0 when unknown.</param>
/// <param name="IsCertificateAuthority">Basic constraints say CA:true.</param>
/// <param name="IsSelfSigned">Subject equals issuer and the certificate's own key verifies its signature.</param>
/// <param name="IsWildcard">True when any <c>*</c> appears in the CN or a SAN DNS name.</param>
/// <param name="DnsNames">SAN DNS names in certificate order.</param>
public sealed record CertificateFacts(
    string Sha1,
    string Sha256,
    string Md5,
    string SerialNumber,
    string Subject,
    string Issuer,
    string CommonName,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string PublicKeyAlgorithm,
    int KeySizeBits,
    bool IsCertificateAuthority,
    bool IsSelfSigned,
    bool IsWildcard,
    IReadOnlyList<string> DnsNames);
