using System.Security.Cryptography;
using System.Text.Json;
using SbdServer.Crypto.Verification;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Signed;

namespace SbdServer.Cli;

/// <summary>A trust list as CUCM's <c>show itl</c> / <c>show ctl</c> prints it (<see cref="TrustListListing"/>), or as JSON.</summary>
internal static class TrustListReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Text(byte[] bytes, TrustListFile list, VerificationResult verification) =>
        TrustListListing.Of(bytes, list).ToText(verification.IsValid);

    public static string JsonText(byte[] bytes, TrustListFile list, VerificationResult verification)
    {
        var header = list.Header;
        var model = new
        {
            kind = list.IsCtl ? "CTL" : "ITL",
            length = bytes.Length,
            md5 = Convert.ToHexStringLower(MD5.HashData(bytes)),
            sha1 = Convert.ToHexStringLower(SHA1.HashData(bytes)),
            version = header.Version.ToString(),
            headerLength = header.HeaderLength,
            signerVersion = header.SignerVersion?.ToString(),
            signerName = header.SignerName,
            serialNumber = Convert.ToHexStringLower(header.SerialNumber),
            issuerName = header.IssuerName,
            digestAlgorithm = HashAlgorithms.DisplayName(header.HashAlgorithm),
            keySize = header.KeySizeBits,
            fileName = header.FileName,
            timestamp = header.Timestamp,
            records = list.Records.Select((r, i) => new
            {
                recordLength = r.RecordLength,
                dnsName = r.DnsName,
                subjectName = r.SubjectName,
                role = r.Role is { } role ? TrustRoles.DisplayName(role) : null,
                issuerName = r.IssuerName,
                serialNumber = Convert.ToHexStringLower(r.SerialNumber),
                publicKeyLength = r.PublicKey.Length,
                keyAlgorithm = r.IsEllipticCurve ? "EC" : "RSA",
                certificateLength = r.Certificate?.Length,
                certificateSha1 = r.Certificate is null ? null : Convert.ToHexStringLower(SHA1.HashData(r.Certificate)),
                certificateHash = r.CertificateHash is null ? null : Convert.ToHexStringLower(r.CertificateHash),
                ipAddress = r.IpAddress is null ? null : Convert.ToHexStringLower(r.IpAddress),
                signedTheFile = verification.SignerRecordIndex == i,
            }).ToList(),
            verified = verification.IsValid,
            verification = verification.Message,
        };
        return JsonSerializer.Serialize(model, Json) + "\n";
    }
}
