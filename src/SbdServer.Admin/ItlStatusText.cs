using SbdServer.Core.Devices;

namespace SbdServer.Admin;

/// <summary>CUCM's "ITL File Status" words for the inventory's trust-file states.</summary>
public static class ItlStatusText
{
    public static string Of(TrustFileState state) => state switch
    {
        TrustFileState.InSync => "Match",
        TrustFileState.ReportedMismatch => "MisMatch",
        TrustFileState.NeverFetched => "Not Installed",
        _ => "Unknown",
    };
}
