using SbdServer.Core.CertificateStore;
using SbdServer.Core.Nodes;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// A node and its certificates (its identity certificates, then the cluster's trust stores), and the CSRs pending for
/// its identity certificates.
/// </summary>
public sealed record NodeCertificates(ClusterNode Node, IReadOnlyList<CertificateView> Certificates)
{
    public IReadOnlyList<PendingCsrView> PendingCsrs { get; init; } = [];
}
