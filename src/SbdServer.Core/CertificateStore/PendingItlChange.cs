namespace SbdServer.Core.CertificateStore;

/// <summary>
/// An ITL-relevant identity certificate of a node that changed since the current ITL was last propagated to phones.
/// Two changes count as "together" while both are pending.
/// </summary>
public sealed class PendingItlChange
{
    public Guid Id { get; set; }

    public Guid NodeId { get; set; }

    public string CertificateName { get; set; } = "";

    public DateTimeOffset ChangedAt { get; set; }
}
