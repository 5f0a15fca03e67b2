namespace SbdServer.Core.Admins;

/// <summary>An administrator of the web UI and REST API, kept in the cluster database.</summary>
public sealed class AdminUser
{
    public Guid Id { get; set; }

    /// <summary>The sign-in name, unique in the cluster (compared exactly).</summary>
    public required string Name { get; set; }

    /// <summary>PBKDF2 hash in <see cref="AdminPasswordHasher"/>'s format; never the password.</summary>
    public required string PasswordHash { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The admin from configuration (<c>Sbd:Admin:User</c>/<c>Sbd:Admin:Password</c>): its password follows the configuration.</summary>
    public bool Configured { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Row version: 1 when added, incremented by each committed change; the store refuses a change read at another
    /// version (docs/adr/0003-cluster-writes.md, "Row versions").
    /// </summary>
    public long Version { get; set; } = 1;
}
