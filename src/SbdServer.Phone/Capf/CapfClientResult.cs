namespace SbdServer.Phone.Capf;

/// <summary>How the CAPF session ended for the phone.</summary>
public enum CapfClientOutcome
{
    /// <summary>A new LSC was issued and stored (<see cref="CapfClientResult.LscPem"/>).</summary>
    Installed,

    /// <summary>Troubleshoot: the phone handed its certificate to CAPF.</summary>
    Fetched,

    /// <summary>The LSC was deleted at CAPF's request.</summary>
    Deleted,

    /// <summary>END_SESSION 0 or 1 with nothing to do ("no scheduled operation").</summary>
    NoOperation,

    /// <summary>END_SESSION 9: CAPF does not know this device.</summary>
    UnknownDevice,

    /// <summary>END_SESSION 7: wrong authentication string, bad certificate, expired operation.</summary>
    Refused,
}

/// <param name="LscPem">After an install: the LSC and its private key (PKCS#8), PEM, for <c>lsc.pem</c>.</param>
public sealed record CapfClientResult(
    CapfClientOutcome Outcome,
    uint SessionId,
    byte EndReason,
    string? LscPem,
    byte[]? LscDer,
    IReadOnlyList<string> Log);
