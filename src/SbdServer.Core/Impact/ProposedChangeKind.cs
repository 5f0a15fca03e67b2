namespace SbdServer.Core.Impact;

/// <summary>The kinds of change <see cref="ChangePlanner"/> evaluates.</summary>
public enum ProposedChangeKind
{
    /// <summary>An identity certificate of a node gets a new key and certificate.</summary>
    Regenerate,

    /// <summary>An enterprise parameter gets a new value.</summary>
    Parameter,

    /// <summary>A node's host name or domain changes: all its identity certificates are regenerated (scenario 24).</summary>
    Rename,

    /// <summary>
    /// A bulk ITL reset starts (<see cref="ProposedChange.Value"/> <c>localkey</c>) or ends (<c>none</c>, CUCM's
    /// "restart TFTP").
    /// </summary>
    ItlReset,
}
