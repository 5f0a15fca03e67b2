using SbdServer.Core.Certificates;

namespace SbdServer.Core.Tvs;

/// <summary>A TVS certificate source held in memory (tests, database-less nodes, or fed by a regeneration hook).</summary>
public sealed class InMemoryTvsCertificateSource(CertificateWithKey initial) : ITvsCertificateSource
{
    private CertificateWithKey _current = Copy(initial);

    public event EventHandler? Changed;

    /// <summary>Swaps the certificate; new TLS connections present it once the listener has reloaded.</summary>
    public void Set(CertificateWithKey certificate)
    {
        Volatile.Write(ref _current, Copy(certificate));
        Changed?.Invoke(this, EventArgs.Empty);
    }

    public ValueTask<CertificateWithKey> GetCurrentAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(Copy(Volatile.Read(ref _current)));

    private static CertificateWithKey Copy(CertificateWithKey source) =>
        new(source.CertificateDer.ToArray(), source.PrivateKeyPkcs8.ToArray());
}
