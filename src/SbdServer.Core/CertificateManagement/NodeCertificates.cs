using SbdServer.Core.CertificateStore;
using SbdServer.Core.Nodes;

namespace SbdServer.Core.CertificateManagement;

/// <summary>A node and its certificates (its identity certificates, then the cluster's trust stores).</summary>
public sealed record NodeCertificates(ClusterNode Node, IReadOnlyList<CertificateView> Certificates);
