using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;

namespace SbdServer.Listeners;

/// <summary>
/// The TLS server options a listener gives new connections (TVS on 2445, phone services on 8443). After the source
/// signals a change, the next handshake reloads the pair (once, shared by the handshakes arriving meanwhile) and
/// presents it; connections already open keep theirs, because TLS fixes the certificate at the handshake. A failed
/// reload keeps the previous certificate and is not retried until the next change.
/// </summary>
public sealed class ServerCertificateReloader : IDisposable
{
    private readonly IServerCertificateSource _source;
    private readonly Func<SslStreamCertificateContext, SslServerAuthenticationOptions> _options;
    private readonly Action<string, string> _reloaded;
    private readonly Action<Exception, string> _reloadFailed;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private int _version;
    private Loaded? _loaded;

    /// <param name="options">The listener's TLS policy around the loaded certificate.</param>
    /// <param name="reloaded">Told the SHA-256 and subject of each certificate loaded (the listener's log line).</param>
    /// <param name="reloadFailed">Told why a reload failed and which certificate stays in use.</param>
    public ServerCertificateReloader(
        IServerCertificateSource source,
        Func<SslStreamCertificateContext, SslServerAuthenticationOptions> options,
        Action<string, string> reloaded,
        Action<Exception, string> reloadFailed)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _options = options;
        _reloaded = reloaded;
        _reloadFailed = reloadFailed;
        _source.Changed += OnChanged;
    }

    /// <summary>SHA-256 (lower-case hex) of the certificate new connections get, once loaded.</summary>
    public string? CurrentSha256 => Volatile.Read(ref _loaded)?.Sha256;

    /// <summary>Server options presenting the current certificate, shared by all handshakes until a change.</summary>
    public ValueTask<SslServerAuthenticationOptions> GetAsync(CancellationToken cancellationToken)
    {
        var loaded = Volatile.Read(ref _loaded);
        return loaded is not null && loaded.Version == Volatile.Read(ref _version)
            ? ValueTask.FromResult(loaded.Options)
            : ReloadAsync(cancellationToken);
    }

    /// <summary>
    /// The server side of the TLS handshake on <paramref name="tls"/> with the current certificate, bounded by
    /// <paramref name="timeout"/>: one rule for every TLS listener's phones, each listener counting and logging the
    /// outcome in its own words. A stop of the listener (<paramref name="stopping"/>) still throws.
    /// </summary>
    public async Task<TlsHandshakeResult> AuthenticateAsync(SslStream tls, TimeSpan timeout, TimeProvider time, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(tls);
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, stopping);
        try
        {
            var serverOptions = await GetAsync(linked.Token);
            await tls.AuthenticateAsServerAsync(serverOptions, linked.Token);
            return new TlsHandshakeResult(TlsHandshakeOutcome.Completed, null);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            return new TlsHandshakeResult(TlsHandshakeOutcome.TimedOut, null);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Also what a phone that does not trust the certificate causes: it aborts the handshake.
            return new TlsHandshakeResult(TlsHandshakeOutcome.Failed, ex);
        }
    }

    public void Dispose()
    {
        _source.Changed -= OnChanged;
        _reloadLock.Dispose();
    }

    /// <summary>An X509Certificate2 with its private key from DER + PKCS#8 (RSA or EC).</summary>
    public static X509Certificate2 Combine(CertificateWithKey pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
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
                throw new CryptographicException($"The key of {certificate.Subject} is neither RSA nor EC.");
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
                var loaded = new Loaded(version, _options(context), sha256);
                Volatile.Write(ref _loaded, loaded);
                _reloaded(sha256, certificate.Subject);
                return loaded.Options;
            }
            catch (Exception ex) when (current is not null && ex is not OperationCanceledException)
            {
                // Keep serving with the certificate phones already accepted, and do not retry on every handshake.
                _reloadFailed(ex, current.Sha256);
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
