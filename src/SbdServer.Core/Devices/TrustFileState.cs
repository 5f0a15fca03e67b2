namespace SbdServer.Core.Devices;

/// <summary>Whether a device holds the trust list it would be served now.</summary>
public enum TrustFileState
{
    NeverFetched,
    InSync,
    Stale,

    /// <summary>The phone's own latest report names another file than the current one (CUCM 14: "ITL File Status = mismatched").</summary>
    ReportedMismatch,
}
