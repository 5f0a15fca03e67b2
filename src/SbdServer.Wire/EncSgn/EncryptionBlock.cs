using SbdServer.Wire.Signed;

namespace SbdServer.Wire.EncSgn;

/// <summary>
/// Header tags 16..27 of an <c>.enc.sgn</c>: how the payload was encrypted (AES-128-CBC) and for whom.
/// </summary>
/// <param name="Iv">Tag 19: the 16-byte CBC IV.</param>
/// <param name="PaddingCount">Tag 20: number of 0x0D bytes appended to the plaintext (1..16).</param>
/// <param name="KeySizeBits">Tag 23: bits of the wrapped key blob (the phone's RSA key size).</param>
/// <param name="KeyAlgorithm">Tag 24: 1 (AES-128).</param>
/// <param name="WrappedKey">Tag 25: the AES key encrypted with RSA PKCS#1 v1.5 for the phone certificate.</param>
/// <param name="HashAlgorithm">Tag 26: digest of the plaintext.</param>
/// <param name="PlaintextHash">Tag 27: the digest of the plaintext configuration (without padding).</param>
public sealed record EncryptionBlock(
    byte[] Iv,
    ushort PaddingCount,
    ushort KeySizeBits,
    byte KeyAlgorithm,
    byte[] WrappedKey,
    HashAlgorithmCode HashAlgorithm,
    byte[] PlaintextHash)
{
    public const int IvSize = 16;
    public const byte AesKeyAlgorithm = 1;
}
