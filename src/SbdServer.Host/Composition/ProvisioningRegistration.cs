using SbdServer.Core.Cluster;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Events;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;
using SbdServer.Core.Tftp;
using SbdServer.Persistence.Stores;
using SbdServer.Tftp.Provisioning;

namespace SbdServer.Host.Composition;

/// <summary>
/// Provisioning: the device table, its use cases and the generated-file catalogue TFTP serves first (issue 4); signing
/// and encryption come from SbdServer.Crypto (<c>AddSbdCrypto</c>), the served-file recording from SbdServer.Tftp.
/// </summary>
internal static class ProvisioningRegistration
{
    public static WebApplicationBuilder AddSbdProvisioning(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IDeviceStore, EfDeviceStore>();
        services.AddSingleton<DeviceManager>();
        services.AddSingleton<GeneratedFileBuilder>();
        services.AddSingleton(sp =>
        {
            var staticRoot = new Lazy<ITftpFileSource?>(() =>
                sp.GetServices<ITftpFileSource>().FirstOrDefault(s => s.Order == ITftpFileSource.StaticRootOrder));
            return new GeneratedFileCatalogue(
                sp.GetRequiredService<ISecurityStore>(),
                sp.GetRequiredService<IDeviceStore>(),
                sp.GetRequiredService<GeneratedFileBuilder>(),
                sp.GetRequiredService<ICertificateStoreEvents>(),
                sp.GetRequiredService<LocalNodeOptions>(),
                sp.GetRequiredService<TimeProvider>(),
                () => staticRoot.Value);
        });
        services.AddSingleton<ITftpFileSource>(sp => sp.GetRequiredService<GeneratedFileCatalogue>());
        services.AddSingleton<IServedFileStore, EfServedFileStore>();
        services.AddSbdTftpProvisioning();
        services.AddSingleton<DeviceTrustInventory>();
        services.AddSingleton<IDeviceSearch, EfDeviceSearch>();
        services.AddSingleton<DeviceDirectory>();
        services.AddSingleton<IDeviceReportStore, EfDeviceReportStore>();
        services.AddSingleton<DeviceReports>();
        return builder;
    }
}
