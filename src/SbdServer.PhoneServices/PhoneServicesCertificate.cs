using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Certificates;
using SbdServer.Core.PhoneServices;

namespace SbdServer.PhoneServices;

/// <summary>
/// The TLS options new 8443 connections get. After the source signals a change, the next handshake reloads the
/// tomcat pair (once, shared by concurrent handshakes) and presents it; connections already open keep theirs, because
/// TLS fixes the certificate at the handshake. A failed reload keeps the previous certificate.
/// </summary>
internal sealed class PhoneServicesCertificate : IDisposable
{
    private readonly IPhoneServicesCertificateSource _source;
    private readonly SslProtocols _protocols;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private int _version;
    private Loaded? _loaded;

    public PhoneServicesCertificate(IPhoneServicesCertificateSource source, bool allowTls10, ILogger logger)
    {
        _source = source;
        _protocols = Protocols(allowTls10);
        _logger = logger;
        _source.Changed += OnChanged;
    }

    /// <summary>SHA-256 (lower-case hex) of the certificate new connections get, once loaded.</summary>
    public string? CurrentSha256 => Volatile.Read(ref _loaded)?.Sha256;

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

    /// <summary>Server options presenting the current certificate, shared by all handshakes until a change.</summary>
    public ValueTask<SslServerAuthenticationOptions> GetAsync(CancellationToken cancellationToken)
    {
        var loaded = Volatile.Read(ref _loaded);
        return loaded is not null && loaded.Version == Volatile.Read(ref _version)
            ? ValueTask.FromResult(loaded.Options)
            : ReloadAsync(cancellationToken);
    }

    public void Dispose()
    {
        _source.Changed -= OnChanged;
        _reloadLock.Dispose();
    }

    /// <summary>An X509Certificate2 with its private key from DER + PKCS#8 (RSA or EC).</summary>
    internal static X509Certificate2 Combine(CertificateWithKey pair)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(pair.CertificateDer);
        switch (certificate.GetKeyAlgorithm())
        {
            case "1.2.840.113549.1.1.1":
                {
                    using var rsa = RSA.Create();
                    rsa.ImportPkcs8PrivateKey(pair.PrivateKeyPkcs8, out _);
                    return certificate.CopyWithPrivateKey(rsa);
                }

            case "1.2.840.10045.2.1":
                {
                    using var ec = ECDsa.Create();
                    ec.ImportPkcs8PrivateKey(pair.PrivateKeyPkcs8, out _);
                    return certificate.CopyWithPrivateKey(ec);
                }

            default:
                throw new CryptographicException("The tomcat certificate's key is neither RSA nor EC.");
        }
    }

    private void OnChanged(object? sender, EventArgs e) => Interlocked.Increment(ref _version);

    private async ValueTask<SslServerAuthenticationOptions> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            var version = Volatile.Read(ref _version);
            var current = _loaded;
            if (current is not null && current.Version == version)
            {
                return current.Options;
            }

            try
            {
                var pair = await _source.GetCurrentAsync(cancellationToken);
                X509Certificate2 certificate;
                try
                {
                    certificate = Combine(pair);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(pair.PrivateKeyPkcs8);
                }

                var context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
                var sha256 = Convert.ToHexStringLower(SHA256.HashData(pair.CertificateDer));
                var options = new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = context,
                    EnabledSslProtocols = _protocols,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],

                    // Phones authenticate to the services with UserID/Password, never with a client certificate.
                    ClientCertificateRequired = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    AllowRenegotiation = false,
                };
                var loaded = new Loaded(version, options, sha256);
                Volatile.Write(ref _loaded, loaded);
                PhoneServicesLog.CertificateReloaded(_logger, sha256, certificate.Subject);
                return options;
            }
            catch (Exception ex) when (current is not null && ex is not OperationCanceledException)
            {
                // Keep serving with the certificate phones already accepted, and do not retry on every handshake.
                PhoneServicesLog.CertificateReloadFailed(_logger, ex, current.Sha256);
                Volatile.Write(ref _loaded, current with { Version = version });
                return current.Options;
            }
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private sealed record Loaded(int Version, SslServerAuthenticationOptions Options, string Sha256);
}
