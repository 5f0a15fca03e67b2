namespace SbdServer.Core.Cluster;

/// <summary>The one cluster this database describes.</summary>
public sealed class ClusterSettings
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public SecurityMode SecurityMode { get; set; }

    public ItlSignerMode ItlSignerMode { get; set; }

    /// <summary>
    /// Set while a bulk ITL reset (<c>utils itl reset localkey</c>) is in force: every TFTP node's ITL is signed by its
    /// own CallManager instead of ITLRecovery (CUCM 12 rule), until the reset ends ("restart TFTP").
    /// </summary>
    public DateTimeOffset? ItlResetSince { get; set; }

    /// <summary>Proves the cluster security password without storing it (produced by <see cref="Certificates.IKeyProtector"/>).</summary>
    public required byte[] PasswordVerifier { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Row version: 1 when added, incremented by each committed change; the store refuses a change read at another
    /// version (docs/adr/0003-cluster-writes.md, "Row versions").
    /// </summary>
    public long Version { get; set; } = 1;
}
