using SbdServer.Wire.Tlv;

namespace SbdServer.Wire.Signed;

/// <summary>Facts about the digest codes, kept apart from any hashing code.</summary>
public static class HashAlgorithms
{
    public static HashAlgorithmCode FromCode(byte code, string context, string field) => code switch
    {
        1 => HashAlgorithmCode.Sha1,
        2 => HashAlgorithmCode.Sha256,
        3 => HashAlgorithmCode.Sha512,
        _ => WireThrow.Format<HashAlgorithmCode>($"{context}: {field} code {code} is not 1 (SHA-1), 2 (SHA-256) " +
            "or 3 (SHA-512)."),
    };

    public static int DigestSize(HashAlgorithmCode code) => code switch
    {
        HashAlgorithmCode.Sha1 => 20,
        HashAlgorithmCode.Sha256 => 32,
        HashAlgorithmCode.Sha512 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown hash algorithm"),
    };

    /// <summary>Name as the tools print it: SHA1, SHA256, SHA512.</summary>
    public static string DisplayName(HashAlgorithmCode code) => code switch
    {
        HashAlgorithmCode.Sha1 => "SHA1",
        HashAlgorithmCode.Sha256 => "SHA256",
        HashAlgorithmCode.Sha512 => "SHA512",
        _ => code.ToString(),
    };

    /// <summary>Parses <c>sha1</c>, <c>sha-256</c>, <c>SHA512</c>...; null when unknown.</summary>
    public static HashAlgorithmCode? Parse(string text) =>
        text.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant() switch
        {
            "SHA1" => HashAlgorithmCode.Sha1,
            "SHA256" => HashAlgorithmCode.Sha256,
            "SHA512" => HashAlgorithmCode.Sha512,
            _ => null,
        };
}
