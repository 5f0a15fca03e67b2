using System.Text.Json;
using System.Text.Json.Serialization;
using SbdServer.Core.Audit;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Backup;

/// <summary>
/// The JSON inside a backup archive. Version 2 adds devices, served-file records and device reports; a version 1
/// archive (no such sections) restores the security state and leaves devices as they are.
/// </summary>
internal sealed class BackupDocument
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        MaxDepth = 16,
    };

    public const int CurrentVersion = 2;

    public int Version { get; set; } = CurrentVersion;

    public ClusterSettings? Cluster { get; set; }

    public List<ClusterNode> Nodes { get; set; } = [];

    public List<CallManagerGroup> Groups { get; set; } = [];

    public List<IdentityCertificate> Identities { get; set; } = [];

    public List<TrustCertificate> TrustCertificates { get; set; } = [];

    public List<EnterpriseParameter> Parameters { get; set; } = [];

    public List<PendingItlChange> PendingItlChanges { get; set; } = [];

    /// <summary>The CTL's captured records; absent in archives made before the CTL was stored (the CTL then follows the current certificates).</summary>
    public List<CtlCertificate>? Ctl { get; set; }

    public List<CertificateHistoryEntry> History { get; set; } = [];

    public List<AuditEntry> Audit { get; set; } = [];

    /// <summary>Null in version 1 archives: the restore then leaves devices untouched.</summary>
    public List<Device>? Devices { get; set; }

    public List<DeviceServedFile>? ServedFiles { get; set; }

    public List<DeviceReport>? DeviceReports { get; set; }

    public static BackupDocument From(SecurityArchiveContent content) => new()
    {
        Cluster = content.State.Cluster,
        Nodes = [.. content.State.Nodes],
        Groups = [.. content.State.Groups],
        Identities = [.. content.State.Identities],
        TrustCertificates = [.. content.State.TrustCertificates],
        Parameters = [.. content.State.Parameters],
        PendingItlChanges = [.. content.State.PendingItlChanges],
        Ctl = [.. content.State.CtlCertificates],
        History = [.. content.History],
        Audit = [.. content.Audit],
        Devices = content.Devices is null ? null : [.. content.Devices.Devices],
        ServedFiles = content.Devices is null ? null : [.. content.Devices.ServedFiles],
        DeviceReports = content.Devices is null ? null : [.. content.Devices.Reports],
    };

    public SecurityArchiveContent ToContent()
    {
        if (Version is < 1 or > CurrentVersion)
        {
            throw new InvalidInputException($"Backup document version {Version} is not supported (expected 1 to {CurrentVersion}).");
        }

        if (Version >= 2 && (Devices is null || ServedFiles is null || DeviceReports is null))
        {
            throw new InvalidInputException("The backup document (version 2) lacks its devices, servedFiles or deviceReports section.");
        }

        return new SecurityArchiveContent(
            new SecuritySnapshot(Cluster, Nodes, Groups, Identities, TrustCertificates, Parameters, PendingItlChanges)
            {
                CtlCertificates = [.. (Ctl ?? []).OrderBy(c => c.Position)],
            },
            History,
            Audit,
            Devices is null ? null : new DeviceArchiveSection(Devices, ServedFiles ?? [], DeviceReports ?? []));
    }
}
