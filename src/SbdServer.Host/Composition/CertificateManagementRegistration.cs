using SbdServer.Core.CertificateManagement;

namespace SbdServer.Host.Composition;

/// <summary>The certificate-management use cases (one class per use case family) and the unit of work they share.</summary>
internal static class CertificateManagementRegistration
{
    public static IServiceCollection AddSbdCertificateManagement(this IServiceCollection services)
    {
        foreach (var type in CertificateManagementServices.Singletons)
        {
            services.AddSingleton(type);
        }

        return services;
    }
}
