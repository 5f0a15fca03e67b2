namespace SbdServer.Core.Certificates;

/// <summary>What the admin sees of a pending PKCS#10 CSR before downloading it.</summary>
/// <param name="Subject">Subject DN in CUCM style (<c>CN=..;OU=..;O=..</c>).</param>
/// <param name="PublicKeyAlgorithm"><c>RSA</c>, <c>EC</c>, or the algorithm OID for anything else.</param>
/// <param name="KeySizeBits">RSA modulus size or EC field size in bits; 0 when unknown.</param>
/// <param name="DnsNames">SAN DNS names the CSR asks for, in request order.</param>
/// <param name="Sha256">SHA-256 of the CSR's DER, lower-case hex, so an admin can tell two CSRs apart.</param>
public sealed record CsrFacts(string Subject, string PublicKeyAlgorithm, int KeySizeBits, IReadOnlyList<string> DnsNames, string Sha256)
{
    /// <summary>CUCM's "Key Type" column: <c>RSA 2048</c>, <c>EC 384</c>.</summary>
    public string KeyType => KeySizeBits > 0
        ? $"{PublicKeyAlgorithm} {KeySizeBits.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
        : PublicKeyAlgorithm;
}
