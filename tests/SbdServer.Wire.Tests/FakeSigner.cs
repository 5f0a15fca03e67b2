using SbdServer.Wire.Signed;

namespace SbdServer.Wire.Tests;

/// <summary>
/// A deterministic stand-in signer for golden-byte layout tests only: it fills the signature with a marker byte
/// and records what it was asked to sign. Signature validity is tested with real keys elsewhere.
/// </summary>
internal sealed class FakeSigner(SignerIdentity identity, byte marker = 0xAB) : IFileSigner
{
    public SignerIdentity Identity { get; } = identity;

    public byte[]? LastSigned { get; private set; }

    public HashAlgorithmCode? LastHash { get; private set; }

    public int Sign(ReadOnlySpan<byte> data, HashAlgorithmCode hash, Span<byte> signature)
    {
        LastSigned = data.ToArray();
        LastHash = hash;
        var length = Identity.KeySizeBits / 8;
        signature[..length].Fill(marker);
        return length;
    }
}
