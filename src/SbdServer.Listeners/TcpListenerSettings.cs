namespace SbdServer.Listeners;

/// <summary>Where a <see cref="TcpConnectionListener"/> listens, how many connections it admits and how long they may idle.</summary>
public sealed record TcpListenerSettings(
    ListenerIdentity Identity, string Address, int Port, int MaxConnections, int MaxConnectionsPerIp)
{
    /// <summary>
    /// How long a connection may pass without a byte sent or received before the kit closes it
    /// (<see cref="ListenerConnection.Closing"/>) and reports it (<see cref="ITcpListenerEvents.IdleTimedOut"/>);
    /// infinite keeps connections for as long as the protocol does.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;
}
