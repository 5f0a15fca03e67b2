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

    public bool IsPublisher { get; set; }

    public NodeServices Services { get; set; }
}
