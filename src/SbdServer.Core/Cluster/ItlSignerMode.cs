namespace SbdServer.Core.Cluster;

/// <summary>Which key signs the ITL: the TFTP node's CallManager key (CUCM 8.x-11.x) or the cluster ITLRecovery key (12.x+).</summary>
public enum ItlSignerMode
{
    CallManager = 0,
    ItlRecovery = 1,
}
