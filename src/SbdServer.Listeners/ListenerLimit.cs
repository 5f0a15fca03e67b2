namespace SbdServer.Listeners;

/// <summary>The limit that refused a connection at accept time.</summary>
public enum ListenerLimit
{
    /// <summary>The listener's total (<c>MaxConnections</c>).</summary>
    MaxConnections,

    /// <summary>Connections from one address (<c>MaxConnectionsPerIp</c>).</summary>
    PerIp,
}
