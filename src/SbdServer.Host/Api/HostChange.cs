namespace SbdServer.Host.Api;

/// <summary>Body of <c>PUT /api/nodes/{node}/host</c>: the node's new FQDN and, optionally, IPv4 address.</summary>
internal sealed record HostChange(string? Fqdn, string? Address);
