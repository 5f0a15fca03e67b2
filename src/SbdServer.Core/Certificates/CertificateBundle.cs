namespace SbdServer.Core.Certificates;

/// <summary>
/// A certificate, its private key when known (PKCS#8 DER; the caller owns and wipes it) and the other certificates
/// that came with it, in file order (usually issuer first, root last).
/// </summary>
public sealed record CertificateBundle(byte[] CertificateDer, byte[]? PrivateKeyPkcs8, IReadOnlyList<byte[]> Chain);
