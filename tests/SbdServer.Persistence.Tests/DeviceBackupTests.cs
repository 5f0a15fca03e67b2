using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Storage;
using SbdServer.Persistence.Stores;
using Xunit;

namespace SbdServer.Persistence.Tests;

/// <summary>
/// Device reports and devices in backups on a real database, once per provider: the newest report wins, a backup
/// restored into an empty database gives the same devices, records and reports, older archives leave devices alone,
/// and a refused archive changes nothing.
/// </summary>
public abstract class DeviceBackupTests(DatabaseTarget target)
{
    private const string Phone = "SEP001122334455";
    private const string OtherPhone = "SEPAABBCCDDEEFF";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Report_NewestReplacesThePrevious_PerDevice()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var store = new EfDeviceReportStore(harness.Contexts);
        var manager = Manager(harness);
        await manager.CreateAsync(new DeviceSpec(Phone, "8861", null, null, null, null, null), "t", Ct);
        await manager.CreateAsync(new DeviceSpec(OtherPhone, "7962", null, null, null, null, null), "t", Ct);
        var reports = new DeviceReports(new EfDeviceStore(harness.Contexts), store, TimeProvider.System);

        await reports.SubmitAsync("00:11:22:33:44:55", new DeviceReportSpec(new string('A', 32), null, null, null, "CN=old", "ITL installed", null, null), Ct);
        await reports.SubmitAsync(Phone, new DeviceReportSpec(null, "AB:" + new string('c', 38), null, null, null, "Trust List Update Failed", "sip88xx.14-2", null), Ct);
        await reports.SubmitAsync(OtherPhone, new DeviceReportSpec(null, null, null, null, null, "No Trust List installed", null, null), Ct);

        var latest = await store.FindAsync(Phone, Ct);
        Assert.NotNull(latest);
        Assert.Null(latest.ItlMd5);
        Assert.Equal("ab" + new string('c', 38), latest.ItlSha1);
        Assert.Equal("Trust List Update Failed", latest.Status);
        Assert.Equal("sip88xx.14-2", latest.Firmware);
        Assert.Equal(2, (await store.ListAsync(Ct)).Count);
        await Assert.ThrowsAsync<NotFoundException>(() => reports.SubmitAsync("SEP0000000000AA", new DeviceReportSpec(null, null, null, null, null, "x", null, null), Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => reports.SubmitAsync(Phone, new DeviceReportSpec("xyz", null, null, null, null, null, null, null), Ct));
        Assert.Equal("ab" + new string('c', 38), (await store.FindAsync(Phone, Ct))!.ItlSha1);
    }

    [Fact]
    public async Task Backup_RestoredIntoAnEmptyDatabase_GivesTheSameDevicesRecordsAndReports()
    {
        using var source = SecurityHarness.Create(await target.NewClusterAsync());
        var der = await SeedDevicesAsync(source);
        var archive = await source.Backups.CreateAsync("tester", Ct);
        var expected = await source.Store.ExportAsync(Ct);

        using var restored = SecurityHarness.Create(await target.NewDatabaseAsync());
        await restored.Backups.RestoreAsync(archive, "tester", Ct);

        var devices = await new EfDeviceStore(restored.Contexts).ListAsync(Ct);
        Assert.Equal(expected.Devices!.Devices.Select(Describe).Order(), devices.Select(Describe).Order());
        Assert.Equal(der, devices.Single(d => d.Name == Phone).CertificateDer);
        Assert.Null(devices.Single(d => d.Name == OtherPhone).CertificateDer);
        var served = await new EfServedFileStore(restored.Contexts).ListAsync(Ct);
        Assert.Equal(expected.Devices.ServedFiles.Select(f => (f.DeviceName, f.Kind, f.Md5, f.Sha1, f.ServedAt.ToUnixTimeMilliseconds())).Order(),
            served.Select(f => (f.DeviceName, f.Kind, f.Md5, f.Sha1, f.ServedAt.ToUnixTimeMilliseconds())).Order());
        var report = Assert.Single(await new EfDeviceReportStore(restored.Contexts).ListAsync(Ct));
        var want = expected.Devices.Reports.Single();
        Assert.Equal((want.DeviceName, want.ItlMd5, want.ItlSha1, want.ItlSigner, want.Status, want.Firmware, want.ReceivedAt.ToUnixTimeMilliseconds()),
            (report.DeviceName, report.ItlMd5, report.ItlSha1, report.ItlSigner, report.Status, report.Firmware, report.ReceivedAt.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task Restore_ReplacesDevices_ButAnArchiveWithoutDevicesLeavesThemUntouched()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var emptyFleetArchive = await harness.Backups.CreateAsync("tester", Ct);
        await SeedDevicesAsync(harness);
        var withDevices = await harness.Backups.CreateAsync("tester", Ct);
        var version1 = Reseal(harness, withDevices, document =>
        {
            document.Remove("devices");
            document.Remove("servedFiles");
            document.Remove("deviceReports");
            document["version"] = 1;
        });

        // A version 1 archive (before devices were backed up) restores the security state only.
        await harness.Backups.RestoreAsync(version1, "tester", Ct);
        Assert.Equal(2, (await new EfDeviceStore(harness.Contexts).ListAsync(Ct)).Count);
        Assert.Single(await new EfDeviceReportStore(harness.Contexts).ListAsync(Ct));

        // An archive taken with no devices holds an empty devices section: it replaces them with nothing.
        await harness.Backups.RestoreAsync(emptyFleetArchive, "tester", Ct);
        Assert.Empty(await new EfDeviceStore(harness.Contexts).ListAsync(Ct));
        Assert.Empty(await new EfServedFileStore(harness.Contexts).ListAsync(Ct));
        Assert.Empty(await new EfDeviceReportStore(harness.Contexts).ListAsync(Ct));

        await harness.Backups.RestoreAsync(withDevices, "tester", Ct);
        Assert.Equal(2, (await new EfDeviceStore(harness.Contexts).ListAsync(Ct)).Count);
        Assert.Equal(2, (await new EfServedFileStore(harness.Contexts).ListAsync(Ct)).Count);
    }

    [Fact]
    public async Task Restore_OfATamperedTruncatedOrInconsistentArchive_IsRefused_AndDevicesStayAsTheyWere()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        await SeedDevicesAsync(harness);
        var archive = await harness.Backups.CreateAsync("tester", Ct);
        await Manager(harness).CreateAsync(new DeviceSpec("SEP000000000001", "7962", null, "added after the backup", null, null, null), "t", Ct);

        var before = (await new EfDeviceStore(harness.Contexts).ListAsync(Ct)).Select(Describe).Order().ToList();
        var tampered = (byte[])archive.Clone();
        tampered[tampered.Length / 2] ^= 0x01;
        var badCertificate = Reseal(harness, archive, document =>
            document["devices"]!.AsArray().Single(d => (string?)d!["name"] == Phone)!["certificateSha256"] = new string('0', 64));
        var twice = Reseal(harness, archive, document =>
            document["devices"]!.AsArray().Add(document["devices"]!.AsArray()[0]!.DeepClone()));
        var noSection = Reseal(harness, archive, document => document.Remove("servedFiles"));

        await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Backups.RestoreAsync(tampered, "tester", Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Backups.RestoreAsync(archive[..^40], "tester", Ct));
        var certificate = await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Backups.RestoreAsync(badCertificate, "tester", Ct));
        Assert.Contains($"certificate of device {Phone}", certificate.Message, StringComparison.Ordinal);
        var repeated = await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Backups.RestoreAsync(twice, "tester", Ct));
        Assert.Contains("repeated name", repeated.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Backups.RestoreAsync(noSection, "tester", Ct));
        Assert.Contains("servedFiles", missing.Message, StringComparison.Ordinal);

        Assert.Equal(before, (await new EfDeviceStore(harness.Contexts).ListAsync(Ct)).Select(Describe).Order());
        Assert.Single(await new EfDeviceReportStore(harness.Contexts).ListAsync(Ct));
    }

    private static DeviceManager Manager(SecurityHarness harness) =>
        new(harness.Get<SecurityUnitOfWork>(), new EfDeviceStore(harness.Contexts), harness.Codec, harness.Inspector, harness.Events, TimeProvider.System);

    /// <summary>Two devices (one with its certificate), an ITL and a CTL record, and one report; returns the certificate.</summary>
    private static async Task<byte[]> SeedDevicesAsync(SecurityHarness harness)
    {
        var manager = Manager(harness);
        await manager.CreateAsync(new DeviceSpec(Phone, "8861", "SIP", "lobby", "Default", "Encrypted", true), "t", Ct);
        await manager.CreateAsync(new DeviceSpec(OtherPhone, "7962", "SCCP", null, null, null, null), "t", Ct);
        using var rsa = RSA.Create(2048);
        var der = new CertificateRequest("CN=CP-8861-" + Phone, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)).Export(X509ContentType.Cert);
        await manager.SetCertificateAsync(Phone, der, "t", Ct);
        var at = DateTimeOffset.UtcNow;
        await new EfServedFileStore(harness.Contexts).RecordAsync(
        [
            new DeviceServedFile { Id = Guid.CreateVersion7(), DeviceName = Phone, Kind = "ITL", Md5 = new string('1', 32), Sha1 = new string('2', 40), ServedAt = at },
            new DeviceServedFile { Id = Guid.CreateVersion7(), DeviceName = OtherPhone, Kind = "ITL", Md5 = new string('3', 32), Sha1 = new string('4', 40), ServedAt = at },
        ], Ct);
        await new DeviceReports(new EfDeviceStore(harness.Contexts), new EfDeviceReportStore(harness.Contexts), TimeProvider.System)
            .SubmitAsync(Phone, new DeviceReportSpec(new string('1', 32), new string('2', 40), null, null, "CN=ITLRECOVERY_pub", "ITL installed", "sip88xx.14-2", null), Ct);
        return der;
    }

    private static string Describe(Device d) =>
        $"{d.Id} {d.Name} {d.Model} {d.Protocol} {d.Description} {d.CallManagerGroup} {d.SecurityMode} {d.EncryptedConfig} " +
        $"{(d.CertificateDer is null ? "-" : Convert.ToHexString(d.CertificateDer))} {d.CertificateMd5} {d.CertificateSha256} {d.CertificateSubject}";

    /// <summary>Opens an archive, edits its JSON and seals it again under the same password: an authentic but altered backup.</summary>
    private static byte[] Reseal(SecurityHarness harness, byte[] archive, Action<JsonObject> edit)
    {
        var archives = harness.Get<IPasswordArchive>();
        var document = JsonNode.Parse(archives.Open(archive, SecurityHarness.Password))!.AsObject();
        edit(document);
        return archives.Seal(System.Text.Encoding.UTF8.GetBytes(document.ToJsonString()), SecurityHarness.Password);
    }
}
