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
}
