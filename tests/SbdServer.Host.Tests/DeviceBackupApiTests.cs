using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.Devices;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// A backup taken through the API and restored into another host's empty data directory gives the same devices (the
/// certificate byte for byte) and the same trust inventory; refused archives change nothing.
/// </summary>
public sealed class DeviceBackupApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backup_RestoredIntoAnotherEmptyDataDir_GivesTheSameDevicesAndInventory()
    {
        // Both hosts build files at the same instant, so equal inputs give equal ITL bytes (the header holds a timestamp).
        var clock = new FixedTime(DateTimeOffset.UtcNow);
        await using var sourceRoot = new ApiFactory();
        await using var source = sourceRoot.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        await using var targetRoot = new ApiFactory();
        await using var target = targetRoot.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        using var admin = Admin(source);
        using var restoredAdmin = Admin(target);

        const string WithCertificate = "SEP0A0B0C0D0E31";
        const string Stale = "SEP0A0B0C0D0E32";
        const string Mismatched = "SEP0A0B0C0D0E33";
        foreach (var name in new[] { WithCertificate, Stale, Mismatched })
        {
            await DeviceReportApiTests.CreateDeviceAsync(admin, name);
        }

        using var rsa = RSA.Create(2048);
        var der = TestPki.SelfSignedFor("CN=CP-8861-" + WithCertificate, rsa);
        using (var upload = new ByteArrayContent(der))
        {
            upload.Headers.ContentType = new MediaTypeHeaderValue("application/pkix-cert");
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/devices/{WithCertificate}/certificate", upload, Ct)).StatusCode);
        }

        var itl = await admin.GetByteArrayAsync($"/api/files/ITL{WithCertificate}.tlv", Ct);
        var servedAt = clock.GetUtcNow().AddMinutes(-1);
        await source.Services.GetRequiredService<IServedFileStore>().RecordAsync(
        [
            Served(WithCertificate, Convert.ToHexStringLower(MD5.HashData(itl)), Convert.ToHexStringLower(SHA1.HashData(itl)), servedAt),
            Served(Stale, new string('1', 32), new string('2', 40), servedAt),
        ], Ct);
        (await admin.PostAsync($"/api/devices/{Mismatched}/report", DeviceReportApiTests.Json(
            $$"""{"itlSha1":"{{new string('7', 40)}}","status":"Trust List Update Failed","itlSigner":"CN=old"}"""), Ct)).Dispose();

        var inventory = await admin.GetStringAsync("/api/inventory", Ct);
        Assert.Equal(["InSync", "Stale", "ReportedMismatch"], ItlStates(inventory, WithCertificate, Stale, Mismatched));
        var devices = await admin.GetStringAsync("/api/devices", Ct);
        using var backup = await admin.PostAsync("/api/backup", null, Ct);
        Assert.Equal(HttpStatusCode.OK, backup.StatusCode);
        var archive = await backup.Content.ReadAsByteArrayAsync(Ct);

        // Refused archives change nothing on the target.
        Assert.Empty(await target.Services.GetRequiredService<IDeviceStore>().ListAsync(Ct));
        var tampered = (byte[])archive.Clone();
        tampered[tampered.Length / 2] ^= 0x20;
        Assert.Equal(HttpStatusCode.BadRequest, (await restoredAdmin.PostAsync("/api/restore", Octets(tampered), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await restoredAdmin.PostAsync("/api/restore", Octets(archive[..^100]), Ct)).StatusCode);
        Assert.Empty(await target.Services.GetRequiredService<IDeviceStore>().ListAsync(Ct));

        using var restore = await restoredAdmin.PostAsync("/api/restore", Octets(archive), Ct);
        Assert.Equal(HttpStatusCode.NoContent, restore.StatusCode);

        var restoredDevice = await target.Services.GetRequiredService<IDeviceStore>().FindAsync(WithCertificate, Ct);
        Assert.Equal(der, restoredDevice!.CertificateDer);
        // Content equal; each row's version is past every version the target handed out before (docs/adr/0003).
        Assert.Equal(WithoutVersions(devices), WithoutVersions(await restoredAdmin.GetStringAsync("/api/devices", Ct)));
        Assert.Equal(itl, await restoredAdmin.GetByteArrayAsync($"/api/files/ITL{WithCertificate}.tlv", Ct));
        Assert.Equal(inventory, await restoredAdmin.GetStringAsync("/api/inventory", Ct));
    }

    private static HttpClient Admin(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = ApiFactory.Basic("admin", ApiFactory.AdminPassword);
        return client;
    }

    private static ByteArrayContent Octets(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static DeviceServedFile Served(string device, string md5, string sha1, DateTimeOffset at) =>
        new() { Id = Guid.CreateVersion7(), DeviceName = device, Kind = "ITL", Md5 = md5, Sha1 = sha1, ServedAt = at };

    private static string?[] ItlStates(string inventory, params string[] names)
    {
        var rows = JsonDocument.Parse(inventory).RootElement.EnumerateArray().ToList();
        return [.. names.Select(n => rows.Single(r => r.GetProperty("name").GetString() == n).GetProperty("itl").GetProperty("state").GetString())];
    }

    private static string WithoutVersions(string devices)
    {
        var rows = JsonNode.Parse(devices)!.AsArray();
        foreach (var row in rows)
        {
            Assert.True(row!.AsObject().Remove("version"), "every device row carries its version");
        }

        return rows.ToJsonString();
    }

    private sealed class FixedTime(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
