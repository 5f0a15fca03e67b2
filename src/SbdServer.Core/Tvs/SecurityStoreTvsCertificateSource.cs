using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;

namespace SbdServer.Core.Tvs;

/// <summary>
/// This node's TVS.pem from the certificate store, its key unsealed on demand. A regeneration or restore of this
/// node's TVS certificate raises <see cref="Changed"/>, and the listener presents the new pair to new connections.
/// </summary>
public sealed class SecurityStoreTvsCertificateSource : ITvsCertificateSource, IDisposable
{
    private readonly CertificateManager _certificates;
    private readonly LocalNodeOptions _node;
    private readonly IDisposable _subscription;

    public SecurityStoreTvsCertificateSource(
        CertificateManager certificates, ICertificateStoreEvents events, LocalNodeOptions node)
    {
        _certificates = certificates;
        _node = node;
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
        await _certificates.GetIdentityWithKeyAsync(_node.Name, CertificateStores.Tvs, cancellationToken);

    public void Dispose() => _subscription.Dispose();

    private bool Affects(CertificateStoreChange change) => change.Kind switch
    {
        CertificateStoreChangeKind.IdentityCertificateChanged =>
            string.Equals(change.Node, _node.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(change.Name, CertificateStores.Tvs, StringComparison.OrdinalIgnoreCase),
        CertificateStoreChangeKind.Restored or CertificateStoreChangeKind.ClusterCreated
            or CertificateStoreChangeKind.NodeChanged => true,
        _ => false,
    };
}
