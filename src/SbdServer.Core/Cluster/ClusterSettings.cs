namespace SbdServer.Core.Cluster;

/// <summary>The one cluster this database describes.</summary>
public sealed class ClusterSettings
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public SecurityMode SecurityMode { get; set; }

    public ItlSignerMode ItlSignerMode { get; set; }

    /// <summary>Proves the cluster security password without storing it (produced by <see cref="Certificates.IKeyProtector"/>).</summary>
    public required byte[] PasswordVerifier { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
