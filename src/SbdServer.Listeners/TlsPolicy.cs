using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SbdServer.Listeners;

/// <summary>
/// The TLS parameters of every listener, in two profiles: the phone protocols (TVS 2445, CAPF 3804;
/// docs/adr/0001-tvs-tls.md) with TLS 1.2 (1.0 and 1.3 opt-in) and suites that include <c>AES256-SHA</c>
/// (TLS_RSA_WITH_AES_256_CBC_SHA), the suite CUCM 8.x negotiated with phones; and HTTPS 8443 (TLS 1.2 and 1.3, 1.0
/// and 1.1 opt-in, HTTP/1.1 only). Legacy TLS 1.0 is always an operator's choice, for 7900-series phones.
/// </summary>
public static class TlsPolicy
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

    private static readonly CipherSuitesPolicy? Policy = OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(CipherSuites);

    /// <summary>The phone protocols' versions: TLS 1.2, plus 1.0 and 1.3 when asked for.</summary>
    public static SslProtocols PhoneProtocols(bool allowTls10, bool allowTls13)
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

    /// <summary>HTTPS versions: TLS 1.2 and 1.3; with <paramref name="allowTls10"/> also 1.0 and 1.1.</summary>
    public static SslProtocols HttpsProtocols(bool allowTls10)
    {
        var protocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        if (allowTls10)
        {
#pragma warning disable SYSLIB0039, CA5397 // Obsolete, and what 7900-series phones speak (opt-in only).
            protocols |= SslProtocols.Tls | SslProtocols.Tls11;
#pragma warning restore SYSLIB0039, CA5397
        }

        return protocols;
    }

    /// <summary>
    /// Server options of a phone protocol (TVS, CAPF) presenting <paramref name="certificate"/>. Build once per
    /// certificate and share: .NET caches its native TLS context per options, so a fresh policy object per connection
    /// would cost a context (certificate and key load) per handshake.
    /// </summary>
    public static SslServerAuthenticationOptions PhoneProtocolOptions(
        SslStreamCertificateContext certificate, bool allowTls10, bool allowTls13) => new()
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = PhoneProtocols(allowTls10, allowTls13),
            CipherSuitesPolicy = Policy,

            // Phones may present their LSC/MIC, but CUCM's trust decision does not depend on it and the open-source
            // server runs without it; not asking avoids a client-certificate round of work per handshake.
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
        };

    /// <summary>Server options of the HTTPS listener presenting <paramref name="certificate"/>.</summary>
    public static SslServerAuthenticationOptions HttpsOptions(SslStreamCertificateContext certificate, bool allowTls10) => new()
    {
        ServerCertificateContext = certificate,
        EnabledSslProtocols = HttpsProtocols(allowTls10),
        ApplicationProtocols = [SslApplicationProtocol.Http11],

        // Phones authenticate to the services with UserID/Password, never with a client certificate.
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };
}
