using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Tftp;

namespace SbdServer.Tftp.Provisioning;

/// <summary>The provisioning side of the file service: what the generated files report and who fetched them.</summary>
public static class ProvisioningServiceCollectionExtensions
{
    /// <summary>
    /// Registers the catalogue's <see cref="IProvisioningLog"/>, and the <see cref="ServedFileRecorder"/> as the
    /// <see cref="ITftpServedFileObserver"/> of TFTP and HTTP 6970 with its background writer. The caller registers
    /// the <see cref="Core.Devices.IServedFileStore"/> it writes to.
    /// </summary>
    public static IServiceCollection AddSbdTftpProvisioning(this IServiceCollection services)
    {
        services.AddSingleton<IProvisioningLog, ProvisioningLog>();
        services.AddSingleton<ServedFileRecorder>();
        services.AddSingleton<ITftpServedFileObserver>(sp => sp.GetRequiredService<ServedFileRecorder>());
        services.AddHostedService<ServedFileRecorderService>();
        return services;
    }
}
