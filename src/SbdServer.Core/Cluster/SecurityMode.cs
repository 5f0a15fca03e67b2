namespace SbdServer.Core.Cluster;

/// <summary>CUCM "Cluster Security Mode": 0 non-secure, 1 mixed (a CTL exists).</summary>
public enum SecurityMode
{
    NonSecure = 0,
    Mixed = 1,
}
