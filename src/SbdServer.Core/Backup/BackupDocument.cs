using System.Text.Json;
using System.Text.Json.Serialization;
using SbdServer.Core.Audit;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Backup;

/// <summary>The JSON inside a backup archive (version 1).</summary>
internal sealed class BackupDocument
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        MaxDepth = 16,
    };

    public int Version { get; set; } = 1;

    public ClusterSettings? Cluster { get; set; }

    public List<ClusterNode> Nodes { get; set; } = [];

    public List<CallManagerGroup> Groups { get; set; } = [];

    public List<IdentityCertificate> Identities { get; set; } = [];

    public List<TrustCertificate> TrustCertificates { get; set; } = [];

    public List<EnterpriseParameter> Parameters { get; set; } = [];

    public List<PendingItlChange> PendingItlChanges { get; set; } = [];

    public List<CertificateHistoryEntry> History { get; set; } = [];

    public List<AuditEntry> Audit { get; set; } = [];

    public static BackupDocument From(SecurityArchiveContent content) => new()
    {
        Cluster = content.State.Cluster,
        Nodes = [.. content.State.Nodes],
        Groups = [.. content.State.Groups],
        Identities = [.. content.State.Identities],
        TrustCertificates = [.. content.State.TrustCertificates],
        Parameters = [.. content.State.Parameters],
        PendingItlChanges = [.. content.State.PendingItlChanges],
        History = [.. content.History],
        Audit = [.. content.Audit],
    };

    public SecurityArchiveContent ToContent()
    {
        if (Version != 1)
        {
            throw new CertificateStoreException($"Backup document version {Version} is not supported (expected 1).");
        }

        return new SecurityArchiveContent(
            new SecuritySnapshot(Cluster, Nodes, Groups, Identities, TrustCertificates, Parameters, PendingItlChanges),
            History,
            Audit);
    }
}
