using SbdServer.Core.Audit;
using SbdServer.Core.CertificateStore;

namespace SbdServer.Core.Storage;

/// <summary>The whole security state including history and audit: what a backup holds and a restore writes.</summary>
/// <param name="Devices">Devices, served-file records and reports; null (archives before version 2) leaves them untouched.</param>
public sealed record SecurityArchiveContent(
    SecuritySnapshot State,
    IReadOnlyList<CertificateHistoryEntry> History,
    IReadOnlyList<AuditEntry> Audit,
    DeviceArchiveSection? Devices = null);
