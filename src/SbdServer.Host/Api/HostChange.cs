namespace SbdServer.Host.Api;

/// <summary>
/// Body of <c>PUT /api/nodes/{node}/host</c>: either <c>hostAddress</c> alone (CUCM's "Host Name/IP Address" that
/// configs name the node by; empty for the FQDN; no certificate changes), or the node's new <c>fqdn</c> and,
/// optionally, IPv4 <c>address</c> (a host rename: every identity certificate is regenerated).
/// </summary>
internal sealed record HostChange(string? Fqdn, string? Address, string? HostAddress = null);
