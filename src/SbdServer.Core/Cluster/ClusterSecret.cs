namespace SbdServer.Core.Cluster;

/// <summary>The cluster security password this process runs with (never stored; only a verifier is).</summary>
public sealed class ClusterSecret(string securityPassword)
{
    public string SecurityPassword { get; } = string.IsNullOrEmpty(securityPassword)
        ? throw new ArgumentException("The cluster security password must not be empty.", nameof(securityPassword))
        : securityPassword;

    public override string ToString() => "ClusterSecret(***)";
}
