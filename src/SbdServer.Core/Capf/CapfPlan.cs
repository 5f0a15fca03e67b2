namespace SbdServer.Core.Capf;

/// <summary>What the server does after AUTH_RESPONSE.</summary>
public enum CapfStep
{
    /// <summary>Send END_SESSION with <see cref="CapfPlan.EndReason"/> and close.</summary>
    End,
    Install,
    Fetch,
    Delete,
}

/// <summary>
/// The decision taken on a phone's AUTH_RESPONSE: the step, how the phone authenticated (for the session log), and
/// for <see cref="CapfStep.End"/> the reason sent and the outcome recorded.
/// </summary>
public sealed record CapfPlan(
    CapfStep Step,
    string DeviceName,
    CapfOperation Operation,
    string AuthMode,
    Wire.Capf.CapfReason EndReason,
    CapfSessionOutcome Outcome,
    string? Detail,
    CapfKeyKind KeyType,
    int KeySize);
