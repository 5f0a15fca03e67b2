using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SbdServer.Tvs;

/// <summary>
/// The TLS parameters of the TVS listener (docs/adr/0001-tvs-tls.md): TLS 1.2 and 1.3, optionally TLS 1.0, with
/// suites that include <c>AES256-SHA</c> (TLS_RSA_WITH_AES_256_CBC_SHA), the suite CUCM 8.x negotiated with phones.
/// </summary>
public static class TvsTlsPolicy
{
    /// <summary>Suites in server preference order. CBC-SHA suites are the only ones TLS 1.0 clients can use.</summary>
    public static IReadOnlyList<TlsCipherSuite> CipherSuites { get; } =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
    ];

    /// <summary>The protocol versions enabled: TLS 1.2, plus 1.0 and 1.3 when asked for.</summary>
    public static SslProtocols Protocols(bool allowTls10, bool allowTls13)
    {
        var protocols = SslProtocols.Tls12;
        if (allowTls10)
        {
#pragma warning disable SYSLIB0039, CA5397 // TLS 1.0 is obsolete, and exactly what 7900-series phones speak (opt-in only).
            protocols |= SslProtocols.Tls;
#pragma warning restore SYSLIB0039, CA5397
        }

        return allowTls13 ? protocols | SslProtocols.Tls13 : protocols;
    }

    private static readonly CipherSuitesPolicy? Policy = OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(CipherSuites);

    /// <summary>
    /// Server options for connections presenting <paramref name="certificate"/>. Build once per certificate and share:
    /// .NET caches its native TLS context per options, so a fresh policy object per connection would cost a context
    /// (certificate and key load) per handshake.
    /// </summary>
    public static SslServerAuthenticationOptions ServerOptions(
        SslStreamCertificateContext certificate, bool allowTls10, bool allowTls13) => new()
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = Protocols(allowTls10, allowTls13),
            CipherSuitesPolicy = Policy,

            // Phones may present their LSC/MIC, but CUCM's trust decision does not depend on it and the open-source
            // server runs without it; not asking avoids a client-certificate round of work per handshake.
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
        };
}
