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
}
