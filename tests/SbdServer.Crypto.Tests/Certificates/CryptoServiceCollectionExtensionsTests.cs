using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.Certificates;
using SbdServer.Core.Provisioning;
using SbdServer.Crypto.Keys;
using Xunit;

namespace SbdServer.Crypto.Tests.Certificates;

public class CryptoServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSbdCrypto_RegistersEveryPortAsSingleton()
    {
        var services = new ServiceCollection();

        services.AddSbdCrypto(o => o.Pbkdf2Iterations = 1_234);

        foreach (var port in new[]
        {
            typeof(ICertificateFactory), typeof(ICertificateInspector), typeof(ICertificateCodec),
            typeof(ICertificateValidator), typeof(IKeyProtectorFactory), typeof(IPasswordArchive), typeof(IPhoneFileCrypto), typeof(TimeProvider),
        })
        {
            var descriptor = Assert.Single(services, d => d.ServiceType == port);
            Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        }

        var options = Assert.Single(services, d => d.ServiceType == typeof(KeyProtectionOptions)).ImplementationInstance;
        Assert.Equal(1_234, Assert.IsType<KeyProtectionOptions>(options).Pbkdf2Iterations);
    }

    [Fact]
    public void AddSbdCrypto_KeepsAnExistingTimeProvider()
    {
        var services = new ServiceCollection();
        var clock = new FixedTimeProvider(TestPki.Now);
        services.AddSingleton<TimeProvider>(clock);

        services.AddSbdCrypto();

        Assert.Same(clock, Assert.Single(services, d => d.ServiceType == typeof(TimeProvider)).ImplementationInstance);
    }

    [Fact]
    public void AddSbdCrypto_InvalidIterations_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddSbdCrypto(o => o.Pbkdf2Iterations = 0));
    }
}
