using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Certificates;
using SbdServer.Core.Tvs;

namespace SbdServer.Tvs;

/// <summary>
/// Holds the TLS certificate context the listener presents. After the source signals a change, the next
/// connection waits for the reload (once, shared by all connections arriving meanwhile) and gets the new
/// certificate; connections already open keep theirs. A failed reload keeps the previous certificate.
/// </summary>
internal sealed class TvsServerCertificate : IDisposable
{
    private readonly ITvsCertificateSource _source;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private int _version;
    private Loaded? _loaded;

    private readonly bool _allowTls10;
    private readonly bool _allowTls13;

    public TvsServerCertificate(ITvsCertificateSource source, bool allowTls10, bool allowTls13, ILogger logger)
    {
        _source = source;
        _allowTls10 = allowTls10;
        _allowTls13 = allowTls13;
        _logger = logger;
        _source.Changed += OnChanged;
    }

    /// <summary>SHA-256 (lower-case hex) of the certificate new connections get.</summary>
    public string? CurrentSha256 => Volatile.Read(ref _loaded)?.Sha256;

    /// <summary>TLS server options presenting the current certificate (shared by all connections until a change).</summary>
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
                throw new CryptographicException("The TVS certificate's key is neither RSA nor EC.");
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
                var loaded = new Loaded(version, TvsTlsPolicy.ServerOptions(context, _allowTls10, _allowTls13), sha256);
                Volatile.Write(ref _loaded, loaded);
                TvsLog.CertificateReloaded(_logger, sha256, certificate.Subject);
                return loaded.Options;
            }
            catch (Exception ex) when (current is not null && ex is not OperationCanceledException)
            {
                // Keep serving with the certificate phones already know, and do not retry on every connection.
                TvsLog.CertificateReloadFailed(_logger, ex, current.Sha256);
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
