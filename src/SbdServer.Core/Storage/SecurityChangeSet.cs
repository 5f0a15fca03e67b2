using SbdServer.Core.Audit;
using SbdServer.Core.Events;

namespace SbdServer.Core.Storage;

/// <summary>Everything one use case changes; <see cref="ISecurityStore.CommitAsync"/> applies it in one transaction.</summary>
public sealed class SecurityChangeSet
{
    public List<object> Added { get; } = [];

    public List<object> Updated { get; } = [];

    public List<object> Removed { get; } = [];

    public List<AuditEntry> Audit { get; } = [];

    /// <summary>Published to subscribers once the transaction has committed.</summary>
    public List<CertificateStoreChange> Changes { get; } = [];

    public bool IsEmpty => Added.Count == 0 && Updated.Count == 0 && Removed.Count == 0 && Audit.Count == 0;
}
