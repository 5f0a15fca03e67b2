namespace SbdServer.Core.Events;

public enum CertificateStoreChangeKind
{
    ClusterCreated,
    NodeChanged,
    IdentityCertificateChanged,
    TrustCertificateAdded,
    TrustCertificateRemoved,
    ParameterChanged,
    ItlPropagated,
    Restored,
    DeviceChanged,

    /// <summary>A committed change altered the device's ITL and asked it to reset (Name: the device, Node: its TFTP node).</summary>
    DeviceResetRequested,

    /// <summary>
    /// Not a change: this process may have missed other nodes' changes (its notification connection was lost and is
    /// back), so whatever it holds from the store must be reloaded. Published locally, never sent to other nodes.
    /// </summary>
    Resynchronized,
}
