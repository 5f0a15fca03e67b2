using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>
/// The certificate-management use cases and the pieces they share, as one list: the host and the test harnesses
/// register exactly this set, so a new use case cannot be wired in one and forgotten in the other. Core takes no
/// dependency-injection package, hence a list of types rather than an extension method.
/// </summary>
public static class CertificateManagementServices
{
    /// <summary>Types to register as singletons; <see cref="SecurityUnitOfWork"/> must be one per process (it is the in-process writer).</summary>
    public static IReadOnlyList<Type> Singletons { get; } =
    [
        typeof(SecurityUnitOfWork),
        typeof(IdentityMint),
        typeof(DeviceImpact),
        typeof(PendingCsrReader),
        typeof(CertificateQueries),
        typeof(CertificateRegeneration),
        typeof(CertificateSigningRequests),
        typeof(TrustStoreUploads),
        typeof(BulkCertificates),
        typeof(NodeHostChange),
        typeof(ItlResets),
        typeof(EnterpriseParameters),
        typeof(CtlUpdates),
        typeof(ClusterBootstrapper),
    ];
}
