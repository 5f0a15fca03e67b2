using SbdServer.Core.Devices;
using SbdServer.Persistence.Stores;

namespace SbdServer.Host.Composition;

/// <summary>Provisioning: the device table and its use cases (issue 4).</summary>
internal static class ProvisioningRegistration
{
    public static WebApplicationBuilder AddSbdProvisioning(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IDeviceStore, EfDeviceStore>();
        services.AddSingleton<DeviceManager>();
        return builder;
    }
}
