using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Tvs;

/// <summary>
/// This node's TVS.pem from the certificate store, its key unsealed on demand. A regeneration or restore of this
/// node's TVS certificate raises <see cref="Changed"/>, and the listener presents the new pair to new connections.
/// </summary>
public sealed class SecurityStoreTvsCertificateSource : ITvsCertificateSource, IDisposable
{
    private readonly ISecurityStore _store;
    private readonly IKeyProtector _keys;
    private readonly LocalNodeOptions _node;
    private readonly IDisposable _subscription;

    public SecurityStoreTvsCertificateSource(
        ISecurityStore store, ICertificateStoreEvents events, IKeyProtector keys, LocalNodeOptions node)
    {
        _store = store;
        _keys = keys;
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

    public async ValueTask<CertificateWithKey> GetCurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _store.LoadAsync(cancellationToken);
        var node = snapshot.FindNode(_node.Name)
            ?? throw new NotFoundException($"Node '{_node.Name}' is not in the cluster; TVS has no certificate.");
        var identity = snapshot.FindIdentity(node, CertificateStores.Tvs)
            ?? throw new NotFoundException($"Node '{node.Name}' has no TVS certificate.");
        return new CertificateWithKey(identity.Der.ToArray(), _keys.Unprotect(identity.ProtectedKey));
    }

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
