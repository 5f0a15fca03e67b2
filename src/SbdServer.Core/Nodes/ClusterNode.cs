namespace SbdServer.Core.Nodes;

/// <summary>A CUCM server in the cluster.</summary>
public sealed class ClusterNode
{
    public Guid Id { get; set; }

    /// <summary>Host name, unique in the cluster (CUCM "server name").</summary>
    public required string Name { get; set; }

    /// <summary>Fully qualified domain name; the CN of the node's identity certificates.</summary>
    public required string Fqdn { get; set; }

    /// <summary>IPv4 address phones use to reach the node.</summary>
    public required string IpAddress { get; set; }

    /// <summary>
    /// CUCM's "Host Name/IP Address" server setting: what configs name the node by (CallManager group, TVS list,
    /// service URLs, CAPF). Null means the FQDN; labs without DNS set an IP address. Certificates keep the host name.
    /// </summary>
    public string? HostAddress { get; set; }

    /// <summary>The name phones are given for this node: <see cref="HostAddress"/>, else the FQDN.</summary>
    public string PhoneFacingHost => string.IsNullOrWhiteSpace(HostAddress) ? Fqdn : HostAddress;

    public bool IsPublisher { get; set; }

    public NodeServices Services { get; set; }

    /// <summary>
    /// Row version: 1 when added, incremented by each committed change; the store refuses a change read at another
    /// version (docs/adr/0003-cluster-writes.md, "Row versions").
    /// </summary>
    public long Version { get; set; } = 1;
}
