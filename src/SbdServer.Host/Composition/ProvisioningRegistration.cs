using SbdServer.Core.Devices;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Tftp;
using SbdServer.Persistence.Stores;

namespace SbdServer.Host.Composition;

/// <summary>Provisioning: the device table, its use cases and the generated-file catalogue TFTP serves first (issue 4).</summary>
internal static class ProvisioningRegistration
{
    public static WebApplicationBuilder AddSbdProvisioning(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IDeviceStore, EfDeviceStore>();
        services.AddSingleton<DeviceManager>();
        services.AddSingleton<IPhoneFileCrypto, PhoneFileCrypto>();
        services.AddSingleton<IProvisioningLog, ProvisioningLog>();
        services.AddSingleton<GeneratedFileBuilder>();
        services.AddSingleton<GeneratedFileCatalogue>();
        services.AddSingleton<ITftpFileSource>(sp => sp.GetRequiredService<GeneratedFileCatalogue>());
        return builder;
    }
}
