using System.Net;
using System.Security.Authentication;

namespace SbdServer.Phone.Tvs;

/// <summary>How a <see cref="TvsClient"/> connects.</summary>
public sealed class TvsClientOptions
{
    /// <summary>
    /// The TVS certificate the server must present, as DER, or null to skip the check. A phone compares the server
    /// certificate against the TVS record of its ITL; this is the same pin.
    /// </summary>
    public ReadOnlyMemory<byte>? ExpectedServerCertificate { get; init; }

    /// <summary>Hash of the certificate the server must present: SHA-1 (20 bytes, as an ITL holds) or SHA-256 (32).</summary>
    public ReadOnlyMemory<byte>? ExpectedServerCertificateHash { get; init; }

    /// <summary>TLS versions to offer; null lets the system choose (TLS 1.2/1.3).</summary>
    public SslProtocols? Protocols { get; init; }

    /// <summary>The phone's address the connection is made from; null lets the system choose.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>Connect, handshake and each request/response exchange must finish within this time.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
