namespace SbdServer.Core.Devices;

/// <summary>Whether a device holds the trust list it would be served now.</summary>
public enum TrustFileState
{
    NeverFetched,
    InSync,
    Stale,
}
