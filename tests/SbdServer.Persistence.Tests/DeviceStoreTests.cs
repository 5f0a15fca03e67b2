using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Storage;
using SbdServer.Persistence.Stores;
using Xunit;

namespace SbdServer.Persistence.Tests;

/// <summary>Devices on a real database, once per provider: round trip, audit, events, and refusals that store nothing.</summary>
public abstract class DeviceStoreTests(DatabaseTarget target)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Device_RoundTrips_WithCertificate_AndEveryChangeIsAuditedAndPublished()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var store = new EfDeviceStore(harness.Contexts);
        var manager = new DeviceManager(harness.Get<SecurityUnitOfWork>(), store, harness.Codec, harness.Inspector, harness.Events, TimeProvider.System);
        var seen = new List<CertificateStoreChange>();
        using var subscription = harness.Events.Subscribe(c => { lock (seen) { seen.Add(c); } });

        await manager.CreateAsync(new DeviceSpec("00:11:22:33:44:55", "8861", "SCCP", "lobby", "Default", "Encrypted", true), "tester", Ct);
        using var rsa = RSA.Create(2048);
        var der = new CertificateRequest("CN=CP-8861-SEP001122334455", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)).Export(X509ContentType.Cert);
        await manager.SetCertificateAsync("SEP001122334455", der, "tester", Ct);
        await manager.RequestResetAsync("SEP001122334455", "tester", Ct);

        var stored = Assert.Single(await store.ListAsync(Ct));
        Assert.Equal("SEP001122334455", stored.Name);
        Assert.Equal("8861", stored.Model);
        Assert.Equal(DeviceProtocol.Sccp, stored.Protocol);
        Assert.Equal("lobby", stored.Description);
        Assert.Equal(DeviceSecurityMode.Encrypted, stored.SecurityMode);
        Assert.True(stored.EncryptedConfig);
        Assert.Equal(der, stored.CertificateDer);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(der)), stored.CertificateMd5);
        Assert.NotNull(stored.ResetRequestedAt);
        Assert.Equal(3, seen.Count(c => c.Kind == CertificateStoreChangeKind.DeviceChanged && c.Name == "SEP001122334455"));
        var audit = await harness.Store.GetAuditAsync(100, Ct);
        Assert.Equal(["device.create", "device.certificate", "device.reset"],
            audit.Where(a => a.Target == "SEP001122334455").OrderBy(a => a.Id).Select(a => a.Action));

        await manager.DeleteAsync("SEP001122334455", "tester", Ct);
        Assert.Empty(await store.ListAsync(Ct));
    }

    [Fact]
    public async Task Refusals_StoreNothing()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var store = new EfDeviceStore(harness.Contexts);
        var manager = new DeviceManager(harness.Get<SecurityUnitOfWork>(), store, harness.Codec, harness.Inspector, harness.Events, TimeProvider.System);
        var auditBefore = (await harness.Store.GetAuditAsync(1000, Ct)).Count;

        await Assert.ThrowsAnyAsync<InvalidInputException>(() => manager.CreateAsync(new DeviceSpec("00:11:22:33:44", "8861", null, null, null, null, null), "t", Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => manager.CreateAsync(new DeviceSpec("001122334455", "4711", null, null, null, null, null), "t", Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => manager.CreateAsync(new DeviceSpec("001122334455", "8861", null, null, "NoSuchGroup", null, null), "t", Ct));
        await manager.CreateAsync(new DeviceSpec("001122334455", "8861", null, null, null, null, null), "t", Ct);
        await Assert.ThrowsAnyAsync<Exception>(() => manager.SetCertificateAsync("001122334455", "not a certificate"u8.ToArray(), "t", Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => manager.SetCertificateAsync("001122334455", new byte[DeviceManager.MaxCertificateBytes + 1], "t", Ct));

        var device = Assert.Single(await store.ListAsync(Ct));
        Assert.Null(device.CertificateDer);
        Assert.Equal(auditBefore + 1, (await harness.Store.GetAuditAsync(1000, Ct)).Count);
    }

    [Fact]
    public async Task ServedFiles_KeepTheNewestPerDeviceAndKind()
    {
        using var harness = SecurityHarness.Create(await target.NewDatabaseAsync());
        var store = new EfServedFileStore(harness.Contexts);
        var t0 = DateTimeOffset.UtcNow;
        DeviceServedFile Served(string device, string kind, string sha1, int seconds) => new()
        {
            Id = Guid.CreateVersion7(),
            DeviceName = device,
            Kind = kind,
            Md5 = sha1[..32],
            Sha1 = sha1,
            ServedAt = t0.AddSeconds(seconds),
        };

        await store.RecordAsync([Served("SEP001122334455", "ITL", new string('a', 40), 1), Served("SEP001122334455", "ITL", new string('b', 40), 2)], Ct);
        await store.RecordAsync([Served("SEP001122334455", "ITL", new string('c', 40), 0), Served("SEP001122334455", "CTL", new string('d', 40), 3)], Ct);
        await store.RecordAsync([Served("SEP001122334466", "ITL", new string('e', 40), 4)], Ct);

        var records = await store.ForDeviceAsync("SEP001122334455", Ct);
        Assert.Equal(new string('b', 40), records.Single(r => r.Kind == "ITL").Sha1);
        Assert.Equal(new string('d', 40), records.Single(r => r.Kind == "CTL").Sha1);
        Assert.Single(await store.ForDeviceAsync("SEP001122334466", Ct));

        await store.RecordAsync([Served("SEP001122334455", "ITL", new string('f', 40), 5)], Ct);
        Assert.Equal(new string('f', 40), (await store.ForDeviceAsync("SEP001122334455", Ct)).Single(r => r.Kind == "ITL").Sha1);
    }
}
