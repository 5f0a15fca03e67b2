using System.Security.Authentication;
using System.Security.Cryptography;
using SbdServer.Wire.Capf;

namespace SbdServer.Phone.Capf;

/// <summary>How a <see cref="CapfClient"/> connects and generates its key.</summary>
public sealed class CapfClientOptions
{
    /// <summary>
    /// Hash of the certificate the CAPF server must present: SHA-1 (20 bytes, the CERTHASH of the ITL's CAPF record)
    /// or SHA-256 (32). Null skips the check (only for tools pointed at a server by hand).
    /// </summary>
    public ReadOnlyMemory<byte>? ExpectedServerCertificateHash { get; init; }

    /// <summary>
    /// Further hashes (SHA-1 or SHA-256) any one of which the server certificate may match, as a phone accepts any
    /// CAPF record of its CTL and ITL; used together with <see cref="ExpectedServerCertificateHash"/>.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> AcceptedServerCertificateHashes { get; init; } = [];

    /// <summary>TLS versions to offer; null lets the system choose.</summary>
    public SslProtocols? Protocols { get; init; }

    /// <summary>Connect, handshake and each exchange must finish within this time.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Makes the key the server asks for; null generates a fresh one. Load tools hand out keys generated ahead so
    /// that a benchmark measures the server, not the client's key generation.
    /// </summary>
    public Func<CapfKeyGenerateRequest, AsymmetricAlgorithm>? KeyGenerator { get; init; }
}
