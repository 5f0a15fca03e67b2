namespace SbdServer.Admin.Status;

/// <summary>
/// What the dashboard shows about this process that lives outside Core (listener ports, TFTP and TVS counters); the
/// host implements it over its listeners.
/// </summary>
public interface INodeStatus
{
    /// <summary>This node's listeners: name, whether it is up, the bound endpoint text.</summary>
    IReadOnlyList<ListenerStatus> Listeners { get; }

    /// <summary>Counters by display name, in display order.</summary>
    IReadOnlyList<KeyValuePair<string, long>> Counters { get; }
}

/// <summary>One listener of this node.</summary>
public sealed record ListenerStatus(string Service, bool Up, string EndPoint);
