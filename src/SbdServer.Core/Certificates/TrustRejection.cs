namespace SbdServer.Core.Certificates;

/// <summary>Why a certificate was refused (CUCM's upload rules plus CA-signed acceptance).</summary>
public enum TrustRejection
{
    None,
    Malformed,
    Expired,
    NotYetValid,
    Wildcard,
    KeyTooLarge,
    UnsupportedKey,
    KeyMismatch,
    UntrustedChain,
}
