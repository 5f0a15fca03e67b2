using SbdServer.Core.Certificates;
using SbdServer.Core.Cluster;
using SbdServer.Core.Nodes;

namespace SbdServer.Core.CertificateStore;

/// <summary>CUCM-like subjects and purposes of a node's identity certificates (cucm-reference 1.10).</summary>
public static class IdentitySpecs
{
    public static CertificateSpec For(string name, ClusterNode node, LocalNodeOptions subject, KeyAlgorithm key)
    {
        var cn = name switch
        {
            // CUCM names the CAPF certificate CAPF-<8 hex> and the cluster recovery key ITLRECOVERY_<host>.
            CertificateStores.Capf => "CAPF-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(node.Fqdn)))[..8],
            CertificateStores.ItlRecovery => "ITLRECOVERY_" + node.Name,
            _ => node.Fqdn,
        };
        var purpose = name switch
        {
            CertificateStores.Capf or CertificateStores.ItlRecovery => CertificatePurpose.Authority,
            CertificateStores.Tvs => CertificatePurpose.TlsServer,
            _ => CertificatePurpose.Identity,
        };
        return new CertificateSpec(
            new SubjectName(cn, subject.OrganizationalUnit, subject.Organization, subject.Locality, subject.State,
                subject.Country),
            key,
            purpose,
            SerialBytes: 16,
            ValidityYears: name == CertificateStores.ItlRecovery ? 20 : 5,
            DnsNames: name is CertificateStores.Capf or CertificateStores.ItlRecovery ? null : [node.Fqdn],
            PathLength: name == CertificateStores.Capf ? 0 : null);
    }
}
