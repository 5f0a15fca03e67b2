namespace SbdServer.Wire.Signed;

/// <summary>
/// Signs the bytes of a phone file (RSA PKCS#1 v1.5). Implemented outside Wire so the format layer stays free of
/// key material and crypto libraries.
/// </summary>
public interface IFileSigner
{
    SignerIdentity Identity { get; }

    /// <summary>Writes the signature of <paramref name="data"/> into <paramref name="signature"/>; returns its length.</summary>
    int Sign(ReadOnlySpan<byte> data, HashAlgorithmCode hash, Span<byte> signature);
}
