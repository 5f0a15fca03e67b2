using SbdServer.Core.CertificateManagement;

namespace SbdServer.Host.Composition;

/// <summary>The certificate-management use cases (one class per use case family) and the unit of work they share.</summary>
internal static class CertificateManagementRegistration
{
    public static IServiceCollection AddSbdCertificateManagement(this IServiceCollection services)
    {
        // One unit of work per process: it is the in-process writer every security command waits for.
        services.AddSingleton<SecurityUnitOfWork>();
        services.AddSingleton<IdentityMint>();
        services.AddSingleton<DeviceImpact>();
        services.AddSingleton<CertificateQueries>();
        services.AddSingleton<CertificateRegeneration>();
        services.AddSingleton<CertificateSigningRequests>();
        services.AddSingleton<TrustStoreUploads>();
        services.AddSingleton<BulkCertificates>();
        services.AddSingleton<NodeHostChange>();
        services.AddSingleton<ItlResets>();
        services.AddSingleton<EnterpriseParameters>();
        services.AddSingleton<ClusterBootstrapper>();
        return services;
    }
}
