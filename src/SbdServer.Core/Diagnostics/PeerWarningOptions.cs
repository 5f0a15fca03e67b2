namespace SbdServer.Core.Diagnostics;

/// <summary>Limits of a <see cref="PeerWarningLimiter"/>; the defaults keep one peer to a handful of lines a minute.</summary>
public sealed record PeerWarningOptions
{
    /// <summary>Length of one window; a summary of what was suppressed is reported at its end.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Lines per kind and peer address per window.</summary>
    public int PerPeer { get; init; } = 5;

    /// <summary>Lines per kind per window over all peers (many addresses cannot flood either).</summary>
    public int PerKind { get; init; } = 50;

    /// <summary>Peers named in summaries per kind and window; the others share one summary line.</summary>
    public int MaxSummariesPerKind { get; init; } = 10;

    /// <summary>Distinct kind-and-peer pairs tracked per window; beyond it peers share one bucket.</summary>
    public int MaxTrackedPeers { get; init; } = 10_000;

    internal void Validate()
    {
        if (Window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "The window must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(PerPeer, 0, nameof(PerPeer));
        ArgumentOutOfRangeException.ThrowIfLessThan(PerKind, 0, nameof(PerKind));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSummariesPerKind, 1, nameof(MaxSummariesPerKind));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTrackedPeers, 1, nameof(MaxTrackedPeers));
    }
}
