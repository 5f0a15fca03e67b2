namespace SbdServer.Wire.Itl;

/// <summary>
/// One ITL/CTL record. A null <see cref="Role"/> is a blank FUNCTION (the rollback ITL); <see cref="Certificate"/>
/// is null in CUCM's TVS/CAPF shape, which carries <see cref="CertificateHash"/> instead.
/// </summary>
public sealed record TrustListRecord
{
    /// <summary>DNS NAME; empty is written as two NUL bytes, as CUCM does.</summary>
    public string DnsName { get; init; } = "";

    public required string SubjectName { get; init; }

    public required TrustRole? Role { get; init; }

    public required string IssuerName { get; init; }

    public required byte[] SerialNumber { get; init; }

    /// <summary>PKCS#1 RSAPublicKey DER, or an EC uncompressed point.</summary>
    public required byte[] PublicKey { get; init; }

    /// <summary>The certificate's own signature value.</summary>
    public required byte[] CertificateSignature { get; init; }

    public byte[]? Certificate { get; init; }

    /// <summary>IP ADDRESS (tag 10), CTL records only.</summary>
    public byte[]? IpAddress { get; init; }

    /// <summary>SHA-1 of the certificate DER (tag 11).</summary>
    public byte[]? CertificateHash { get; init; }

    /// <summary>Tag 12: 1 = SHA-1.</summary>
    public byte? CertificateHashAlgorithm { get; init; }

    /// <summary>RECORD LENGTH as parsed (0 for a record not read from a file).</summary>
    public int RecordLength { get; init; }

    /// <summary>Offset of the record in its file (0 for a record not read from a file).</summary>
    public int Offset { get; init; }

    /// <summary>An uncompressed EC point starts with 0x04; RSAPublicKey DER with a SEQUENCE (0x30).</summary>
    public bool IsEllipticCurve => PublicKey.Length > 0 && PublicKey[0] == 0x04;
}
