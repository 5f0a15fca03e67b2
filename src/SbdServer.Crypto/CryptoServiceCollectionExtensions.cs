using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SbdServer.Core.Certificates;
using SbdServer.Core.Provisioning;
using SbdServer.Crypto.Certificates;
using SbdServer.Crypto.Keys;
using SbdServer.Crypto.Provisioning;

namespace SbdServer.Crypto;

/// <summary>Registers the certificate and key services of SbdServer.Crypto behind their Core ports.</summary>
public static class CryptoServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ICertificateFactory"/>, <see cref="ICertificateInspector"/>, <see cref="ICertificateCodec"/>,
    /// <see cref="ICertificateValidator"/>, <see cref="IKeyProtectorFactory"/>, <see cref="IPasswordArchive"/> and
    /// <see cref="IPhoneFileCrypto"/> (singletons), plus <see cref="TimeProvider.System"/> unless a TimeProvider is
    /// already registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts key protection, e.g. a low PBKDF2 iteration count in tests.</param>
    public static IServiceCollection AddSbdCrypto(
        this IServiceCollection services, Action<KeyProtectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new KeyProtectionOptions();
        configure?.Invoke(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<ICertificateFactory, CertificateFactory>();
        services.AddSingleton<ICertificateInspector, CertificateInspector>();
        services.AddSingleton<ICertificateCodec, CertificateCodec>();
        services.AddSingleton<ICertificateValidator, CertificateValidator>();
        services.AddSingleton<IKeyProtectorFactory, KeyProtectorFactory>();
        services.AddSingleton<IPasswordArchive, PasswordArchive>();
        services.AddSingleton<IPhoneFileCrypto, PhoneFileCrypto>();
        return services;
    }
}
