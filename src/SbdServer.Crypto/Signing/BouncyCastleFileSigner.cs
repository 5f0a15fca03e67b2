using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using SbdServer.Wire.Signed;

namespace SbdServer.Crypto.Signing;

/// <summary>
/// The same PKCS#1 v1.5 signature computed by BouncyCastle. Kept for the benchmark comparison and as a second,
/// independent implementation in tests; the service signs with <see cref="RsaFileSigner"/>.
/// </summary>
public sealed class BouncyCastleFileSigner : IFileSigner
{
    private readonly RsaPrivateCrtKeyParameters _key;

    public BouncyCastleFileSigner(RSA key, SignerIdentity identity)
    {
        var p = key.ExportParameters(includePrivateParameters: true);
        try
        {
            _key = new RsaPrivateCrtKeyParameters(
                Unsigned(p.Modulus), Unsigned(p.Exponent), Unsigned(p.D), Unsigned(p.P), Unsigned(p.Q),
                Unsigned(p.DP), Unsigned(p.DQ), Unsigned(p.InverseQ));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(p.D);
            CryptographicOperations.ZeroMemory(p.P);
            CryptographicOperations.ZeroMemory(p.Q);
            CryptographicOperations.ZeroMemory(p.DP);
            CryptographicOperations.ZeroMemory(p.DQ);
            CryptographicOperations.ZeroMemory(p.InverseQ);
        }

        Identity = identity;
    }

    public SignerIdentity Identity { get; }

    public int Sign(ReadOnlySpan<byte> data, HashAlgorithmCode hash, Span<byte> signature)
    {
        IDigest digest = hash switch
        {
            HashAlgorithmCode.Sha1 => new Sha1Digest(),
            HashAlgorithmCode.Sha256 => new Sha256Digest(),
            HashAlgorithmCode.Sha512 => new Sha512Digest(),
            _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, "unknown hash algorithm code"),
        };
        var signer = new RsaDigestSigner(digest);
        signer.Init(forSigning: true, _key);
        signer.BlockUpdate(data);
        var result = signer.GenerateSignature();
        if (result.Length > signature.Length)
        {
            throw new SigningException($"The signature buffer of {signature.Length} bytes is too small.");
        }

        result.CopyTo(signature);
        return result.Length;
    }

    private static BigInteger Unsigned(byte[]? value) => new(1, value ?? []);
}
