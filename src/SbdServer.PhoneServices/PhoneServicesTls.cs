using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SbdServer.PhoneServices;

/// <summary>The TLS policy of the 8443 listener around the node's tomcat certificate.</summary>
internal static class PhoneServicesTls
{
    /// <summary>TLS 1.2 and 1.3; with <paramref name="allowTls10"/> also 1.0 and 1.1.</summary>
    public static SslProtocols Protocols(bool allowTls10)
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

    public static SslServerAuthenticationOptions ServerOptions(SslStreamCertificateContext context, bool allowTls10) => new()
    {
        ServerCertificateContext = context,
        EnabledSslProtocols = Protocols(allowTls10),
        ApplicationProtocols = [SslApplicationProtocol.Http11],

        // Phones authenticate to the services with UserID/Password, never with a client certificate.
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowRenegotiation = false,
    };
}
