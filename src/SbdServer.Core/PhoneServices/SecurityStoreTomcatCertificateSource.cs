using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;

namespace SbdServer.Core.PhoneServices;

/// <summary>
/// This node's tomcat certificate from the certificate store, its key unsealed on demand. CUCM's Tomcat presents it on
/// 8443; scenario 26 (a CA-signed tomcat replacing the self-signed one) must reach new connections without a restart.
/// </summary>
public sealed class SecurityStoreTomcatCertificateSource : IPhoneServicesCertificateSource, IDisposable
{
    private readonly CertificateManager _certificates;
    private readonly LocalNodeOptions _node;
    private readonly IDisposable _subscription;

    public SecurityStoreTomcatCertificateSource(
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
        await _certificates.GetIdentityWithKeyAsync(_node.Name, CertificateStores.Tomcat, cancellationToken);

    public void Dispose() => _subscription.Dispose();

    private bool Affects(CertificateStoreChange change) => change.Kind switch
    {
        CertificateStoreChangeKind.IdentityCertificateChanged =>
            string.Equals(change.Node, _node.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(change.Name, CertificateStores.Tomcat, StringComparison.OrdinalIgnoreCase),
        CertificateStoreChangeKind.Restored or CertificateStoreChangeKind.ClusterCreated
            or CertificateStoreChangeKind.NodeChanged => true,
        _ => false,
    };
}
