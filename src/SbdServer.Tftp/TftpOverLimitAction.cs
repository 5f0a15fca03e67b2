namespace SbdServer.Tftp;

/// <summary>Policy for requests beyond a limit (docs/protocols/tftp.md "Limits").</summary>
public enum TftpOverLimitAction
{
    /// <summary>Ignore the request; the phone retransmits it after its own timeout and is served once load drops.</summary>
    Drop,

    /// <summary>Answer ERROR 0 "Server busy" (the phone gives up on this file at once).</summary>
    Busy,
}
