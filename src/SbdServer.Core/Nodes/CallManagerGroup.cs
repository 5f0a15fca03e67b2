namespace SbdServer.Core.Nodes;

/// <summary>
/// An ordered list of up to three nodes. Phones in the group register to these nodes and use their TVS services
/// (then the TFTP node as last resort) to vouch for an ITL signer they do not know (cucm-reference 0.7).
/// </summary>
public sealed class CallManagerGroup
{
    /// <summary>The group devices get when none is named, and the implicit group of a cluster that configures none.</summary>
    public const string DefaultName = "Default";

    public const int MaxNodes = 3;

    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Node names in priority order.</summary>
    public List<string> NodeNames { get; set; } = [];

    /// <summary>TFTP node the group's phones load their ITL from; null means the cluster's first TFTP node.</summary>
    public string? TftpNodeName { get; set; }

    /// <summary>
    /// Row version: 1 when added, incremented by each committed change; the store refuses a change read at another
    /// version (docs/adr/0003-cluster-writes.md, "Row versions").
    /// </summary>
    public long Version { get; set; } = 1;
}
