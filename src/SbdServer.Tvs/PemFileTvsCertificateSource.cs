using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;
using SbdServer.Core.Tvs;

namespace SbdServer.Tvs;

/// <summary>
/// The TVS certificate from a PEM file holding the certificate and its private key (<c>Tvs:CertificatePem</c>),
/// for nodes whose certificates are not managed by SbdServer. Rewriting the file counts as a regeneration.
/// </summary>
public sealed class PemFileTvsCertificateSource : ITvsCertificateSource, IDisposable
{
    private readonly string _path;
    private readonly FileSystemWatcher? _watcher;

    public PemFileTvsCertificateSource(string path)
    {
        _path = Path.GetFullPath(path);
        if (!File.Exists(_path))
        {
            throw new FileNotFoundException("Tvs:CertificatePem names a file that does not exist.", _path);
        }

        var directory = Path.GetDirectoryName(_path);
        if (directory is not null)
        {
            _watcher = new FileSystemWatcher(directory, Path.GetFileName(_path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
            };
            _watcher.Changed += (_, _) => Changed?.Invoke(this, EventArgs.Empty);
            _watcher.Created += (_, _) => Changed?.Invoke(this, EventArgs.Empty);
            _watcher.Renamed += (_, _) => Changed?.Invoke(this, EventArgs.Empty);
            _watcher.EnableRaisingEvents = true;
        }
    }

    public event EventHandler? Changed;

    public async ValueTask<CertificateWithKey> GetCurrentAsync(CancellationToken cancellationToken)
    {
        var pem = await File.ReadAllTextAsync(_path, cancellationToken);
        return FromPem(pem);
    }

    /// <summary>Certificate DER + PKCS#8 key from PEM text holding both (RSA or EC key, any PEM key label).</summary>
    public static CertificateWithKey FromPem(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem, pem);
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
            ?? certificate.GetECDsaPrivateKey()
            ?? throw new CryptographicException("The TVS PEM holds neither an RSA nor an EC private key.");
        return new CertificateWithKey(certificate.RawData, key.ExportPkcs8PrivateKey());
    }

    public void Dispose() => _watcher?.Dispose();
}
