namespace SbdServer.Listeners;

/// <summary>Where a <see cref="TcpConnectionListener"/> listens and how many connections it admits.</summary>
public sealed record TcpListenerSettings(
    ListenerIdentity Identity, string Address, int Port, int MaxConnections, int MaxConnectionsPerIp);
