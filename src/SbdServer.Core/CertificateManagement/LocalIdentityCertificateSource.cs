using SbdServer.Core.Capf;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;
using SbdServer.Core.PhoneServices;
using SbdServer.Core.Tvs;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// One identity certificate of this node from the certificate store (TVS for the TVS listener, tomcat for the phone
/// services on 8443), its key unsealed on demand. A regeneration, CA-signed upload or restore of it raises
/// <see cref="Changed"/>, so the listener presents the new pair to new connections without a restart (scenario 26).
/// </summary>
public sealed class LocalIdentityCertificateSource : ITvsCertificateSource, IPhoneServicesCertificateSource, ICapfCertificateSource, IDisposable
{
    private readonly CertificateQueries _certificates;
    private readonly LocalNodeOptions _node;
    private readonly string _name;
    private readonly IDisposable _subscription;

    /// <param name="name">The identity store name, e.g. <see cref="CertificateStores.Tvs"/>.</param>
    public LocalIdentityCertificateSource(
        CertificateQueries certificates, ICertificateStoreEvents events, LocalNodeOptions node, string name)
    {
        ArgumentNullException.ThrowIfNull(events);
        _certificates = certificates;
        _node = node;
        _name = name;
        _subscription = events.Subscribe(change =>
        {
            if (Affects(change))
            {
                Changed?.Invoke(this, EventArgs.Empty);
            }
        });
    }

    public event EventHandler? Changed;

    public async ValueTask<CertificateWithKey> GetCurrentAsync(CancellationToken cancellationToken) =>
        await _certificates.GetIdentityWithKeyAsync(_node.Name, _name, cancellationToken);

    public void Dispose() => _subscription.Dispose();

    private bool Affects(CertificateStoreChange change) => change.Kind switch
    {
        CertificateStoreChangeKind.IdentityCertificateChanged =>
            string.Equals(change.Node, _node.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(change.Name, _name, StringComparison.OrdinalIgnoreCase),
        CertificateStoreChangeKind.Restored or CertificateStoreChangeKind.ClusterCreated
            or CertificateStoreChangeKind.NodeChanged or CertificateStoreChangeKind.Resynchronized => true,
        _ => false,
    };
}
