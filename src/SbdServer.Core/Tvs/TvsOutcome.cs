namespace SbdServer.Core.Tvs;

/// <summary>Why TVS answered as it did. Everything but <see cref="Valid"/> is STATUS 1 alone on the wire.</summary>
public enum TvsOutcome
{
    Valid,
    Unknown,
    Expired,
    NotYetValid,

    /// <summary>Known, but only in stores that grant phones nothing (e.g. CallManager-trust).</summary>
    NoPhoneRoles,
}
