namespace SbdServer.Phone.Registration;

/// <summary>How a secure registration ended, which is also the exit code of <c>sbd phone register</c>.</summary>
public enum RegisterOutcome
{
    /// <summary>A CallManager the CTL lists accepted the REGISTER (exit 0).</summary>
    Registered = 0,

    /// <summary>No CallManager of the group presented a certificate the CTL lists, or the phone has no CTL (exit 1).</summary>
    TrustFailed = 1,

    /// <summary>Anything else: no config, a non-secure profile, unreachable, the REGISTER refused (exit 2).</summary>
    Failed = 2,
}

/// <summary>What one secure registration attempt did.</summary>
/// <param name="Status">The phone's status message ("Registered to cucm-pub (TLS)", ...).</param>
/// <param name="CallManager">The CallManager registered to, when registered.</param>
/// <param name="SipStatus">The last SIP status code received, when a REGISTER was sent.</param>
/// <param name="Log">The console log lines (<c>SECD:</c>, <c>SIP:</c>).</param>
public sealed record PhoneRegisterResult(
    RegisterOutcome Outcome, string Status, string? CallManager, int? SipStatus, IReadOnlyList<string> Log)
{
    /// <summary>The status when no CallManager of the group presented a certificate the CTL lists.</summary>
    public const string TrustFailedStatus = "Registration failed: CallManager certificate not in CTL";

    public bool Registered => Outcome == RegisterOutcome.Registered;
}
