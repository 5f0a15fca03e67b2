using SbdServer.Core.Certificates;
using SbdServer.Core.PhoneServices;

namespace SbdServer.PhoneServices.Tests.Support;

/// <summary>A tomcat pair held in memory; <see cref="Replace"/> is what a regeneration looks like to the listener.</summary>
internal sealed class TestCertificateSource(CertificateWithKey initial) : IPhoneServicesCertificateSource
{
    private CertificateWithKey _current = initial;

    public event EventHandler? Changed;

    /// <summary>When set, the next reads fail (a store that cannot unseal the key).</summary>
    public bool Fail { get; set; }

    public byte[] CurrentDer => _current.CertificateDer;

    public void Replace(CertificateWithKey pair)
    {
        _current = pair;
        Changed?.Invoke(this, EventArgs.Empty);
    }

    public void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);

    public ValueTask<CertificateWithKey> GetCurrentAsync(CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new InvalidOperationException("The certificate store is unavailable.");
        }

        var pair = _current;
        return ValueTask.FromResult(new CertificateWithKey([.. pair.CertificateDer], [.. pair.PrivateKeyPkcs8]));
    }
}
