using System.Security.Cryptography;
using SbdServer.Wire.Signed;

namespace SbdServer.Crypto.Signing;

/// <summary>Maps the header digest codes to .NET hash algorithms.</summary>
public static class HashAlgorithmMapping
{
    public static HashAlgorithmName ToName(HashAlgorithmCode code) => code switch
    {
        HashAlgorithmCode.Sha1 => HashAlgorithmName.SHA1,
        HashAlgorithmCode.Sha256 => HashAlgorithmName.SHA256,
        HashAlgorithmCode.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown hash algorithm code"),
    };

    public static byte[] Hash(HashAlgorithmCode code, ReadOnlySpan<byte> data) => code switch
    {
        HashAlgorithmCode.Sha1 => SHA1.HashData(data),
        HashAlgorithmCode.Sha256 => SHA256.HashData(data),
        HashAlgorithmCode.Sha512 => SHA512.HashData(data),
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown hash algorithm code"),
    };
}
