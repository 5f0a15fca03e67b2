namespace SbdServer.Persistence.DataProtection;

/// <summary>
/// One ASP.NET Core Data Protection key element (already encrypted by the host), shared by every node of the cluster
/// so an admin session signed by one node is accepted by the others and survives a restart.
/// </summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }

    /// <summary>The key's friendly name (its id), as Data Protection gives it.</summary>
    public required string FriendlyName { get; set; }

    /// <summary>The XML element as Data Protection stores it.</summary>
    public required string Xml { get; set; }
}
