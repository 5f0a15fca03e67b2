namespace SbdServer.Core.Certificates;

/// <summary>
/// PEM / DER / PKCS#12 import and export. Every reader takes at most <see cref="MaxInputBytes"/> and throws
/// <see cref="CertificateImportException"/> with a reason fit for an operator (never the raw input).
/// </summary>
public interface ICertificateCodec
{
    /// <summary>Largest input any reader accepts.</summary>
    public const int MaxInputBytes = 1024 * 1024;

    /// <summary>All certificates of a PEM text (one or more CERTIFICATE blocks) or of one DER certificate.</summary>
    /// <remarks>A private key in the input is refused: trust uploads carry certificates only.</remarks>
    IReadOnlyList<byte[]> ReadCertificates(ReadOnlySpan<byte> pemOrDer);

    /// <summary>
    /// A PEM bundle: certificate(s) plus an optional private key (PKCS#8, encrypted PKCS#8 with
    /// <paramref name="password"/>, PKCS#1 RSA or SEC1 EC). The certificate is the one matching the key (or the first
    /// one when there is no key); the others form the chain.
    /// </summary>
    CertificateBundle ReadBundle(ReadOnlySpan<byte> pem, bool requireKey, string? password = null);

    /// <summary>A private key from PEM (any of the forms <see cref="ReadBundle"/> takes) or PKCS#8 DER, as PKCS#8 DER.</summary>
    byte[] ReadPrivateKey(ReadOnlySpan<byte> pemOrDer, string? password = null);

    /// <summary>The certificate with a private key plus the chain of a PKCS#12 file.</summary>
    CertificateBundle ReadPkcs12(ReadOnlySpan<byte> pkcs12, string password);

    /// <summary>PKCS#12 with PBES2 (AES-256-CBC, PBKDF2-HMAC-SHA256) and a SHA-256 MAC.</summary>
    byte[] WritePkcs12(CertificateBundle bundle, string password);

    /// <summary>One <c>CERTIFICATE</c> PEM block.</summary>
    string WriteCertificatePem(ReadOnlySpan<byte> certificateDer);

    /// <summary>
    /// <c>PRIVATE KEY</c> PEM, or <c>ENCRYPTED PRIVATE KEY</c> (PBES2 AES-256) when a password is given. ASCII bytes
    /// so the caller can wipe them.
    /// </summary>
    byte[] WritePrivateKeyPem(ReadOnlySpan<byte> privateKeyPkcs8, string? password = null);

    /// <summary>Key (when present) then certificate then chain, the layout of <c>vectors/certs/*.pem</c>.</summary>
    byte[] WriteBundlePem(CertificateBundle bundle, string? keyPassword = null);
}
