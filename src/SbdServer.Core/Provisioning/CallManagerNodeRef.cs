namespace SbdServer.Core.Provisioning;

/// <summary>A cluster node as a phone's configuration names it.</summary>
/// <param name="Name">The CallManager name, e.g. <c>CUCM8-Publisher</c>.</param>
/// <param name="ProcessNodeName">The FQDN (or address) phones connect to.</param>
public sealed record CallManagerNodeRef(string Name, string ProcessNodeName);
