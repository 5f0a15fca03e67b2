namespace SbdServer.Wire.Capf;

/// <summary>
/// What the phone answers to AUTH_REQUEST: its name, the authentication string (empty when it sent a lone NUL) and,
/// when it authenticates with an existing certificate, that certificate with its signatures over
/// <c>device name + NUL + certificate DER</c>.
/// </summary>
public sealed record CapfAuthResponse(
    uint SessionId,
    byte Version,
    string DeviceName,
    string Password,
    ReadOnlyMemory<byte>? Certificate,
    ReadOnlyMemory<byte>? SignedData,
    CapfSha2SignedData? Sha2SignedData,
    bool HasSudiData);

/// <summary>SHA-2 SIGNED DATA: the digest it was made with and the signature.</summary>
public sealed record CapfSha2SignedData(CapfDigest Digest, ReadOnlyMemory<byte> Signature);

/// <summary>KEY_GENERATE_REQUEST: RSA with a size, or EC with a curve.</summary>
public sealed record CapfKeyGenerateRequest(uint SessionId, CapfKeyType KeyType, ushort? KeySize, CapfCurve? Curve);
