namespace SbdServer.Host.Startup;

/// <summary>What the readiness check needs to know about the start: whether the security state is loaded.</summary>
internal sealed class StartupState
{
    private volatile bool _securityReady;

    /// <summary>True once the cluster was created or checked and this node's certificates exist.</summary>
    public bool SecurityReady => _securityReady;

    public void MarkSecurityReady() => _securityReady = true;
}
