using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.Certificates;
using SbdServer.Core.Events;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// "Phone Interaction on Certificate Update" (cucm-reference 0.10): a committed change that alters a device's ITL marks
/// the device for reset, once, with an event and an audit entry; a change that leaves the ITL alone does not.
/// </summary>
public sealed class AutoResetApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Device = "SEP0000000D0001";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ResetAutomatically_ItlChange_MarksTheDevice_TomcatDoesNot()
    {
        using var admin = await PrepareAsync();
        var seen = new ConcurrentQueue<CertificateStoreChange>();
        using var subscription = factory.Services.GetRequiredService<ICertificateStoreEvents>().Subscribe(seen.Enqueue);
        var itl = await ItlHashAsync(admin);

        var tomcat = await RegenerateAsync(admin, "tomcat");
        Assert.Empty(tomcat.GetProperty("resetDevices").EnumerateArray());
        Assert.False(await ResetPendingAsync(admin));
        Assert.Equal(itl, await ItlHashAsync(admin));
        Assert.DoesNotContain(seen, c => c.Kind == CertificateStoreChangeKind.DeviceResetRequested);

        var tvs = await RegenerateAsync(admin, "TVS");
        Assert.Contains(Device, tvs.GetProperty("resetDevices").EnumerateArray().Select(e => e.GetString()));
        Assert.True(await ResetPendingAsync(admin));
        Assert.NotEqual(itl, await ItlHashAsync(admin));
        Assert.Single(seen, c => c.Kind == CertificateStoreChangeKind.DeviceResetRequested && c.Name == Device);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit", Ct);
        Assert.Contains(audit.EnumerateArray(), a =>
            a.GetProperty("action").GetString() == "device.reset-automatic"
            && a.GetProperty("details").GetString()!.Contains("cucm-pub/TVS regenerated", StringComparison.Ordinal)
            && a.GetProperty("details").GetString()!.Contains(Device, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResetManually_ItlChange_MarksNothing()
    {
        using var admin = await PrepareAsync();
        await SetParameterAsync(admin, "PhoneInteractionOnCertificateUpdate", "ResetManually");
        try
        {
            var itl = await ItlHashAsync(admin);
            var report = await RegenerateAsync(admin, "CAPF");

            Assert.NotEqual(itl, await ItlHashAsync(admin));
            Assert.Empty(report.GetProperty("resetDevices").EnumerateArray());
            Assert.False(await ResetPendingAsync(admin));
        }
        finally
        {
            await SetParameterAsync(admin, "PhoneInteractionOnCertificateUpdate", "ResetAutomatically");
        }
    }

    [Fact]
    public async Task ResetAutomatically_RollbackParameter_MarksTheDevice_BothWays()
    {
        using var admin = await PrepareAsync();

        await SetParameterAsync(admin, "PrepareClusterForRollbackToPre80", "True");
        Assert.True(await ResetPendingAsync(admin));
        await AcknowledgeAsync(admin);

        // Setting a value it already has changes no ITL.
        await SetParameterAsync(admin, "PrepareClusterForRollbackToPre80", "True");
        Assert.False(await ResetPendingAsync(admin));

        await SetParameterAsync(admin, "PrepareClusterForRollbackToPre80", "False");
        Assert.True(await ResetPendingAsync(admin));
    }

    [Fact]
    public async Task ResetAutomatically_RestoreThatChangesTheItl_MarksTheDevice_SameItlDoesNot()
    {
        using var admin = await PrepareAsync();
        var itl = await ItlHashAsync(admin);
        using var backup = await admin.PostAsync("/api/backup", null, Ct);
        Assert.Equal(HttpStatusCode.OK, backup.StatusCode);
        var archive = await backup.Content.ReadAsByteArrayAsync(Ct);

        await RegenerateAsync(admin, "TVS");
        await AcknowledgeAsync(admin);
        Assert.NotEqual(itl, await ItlHashAsync(admin));

        // The archive's device had no reset pending; the restore brings the old TVS certificate back into the ITL.
        await RestoreAsync(admin, archive);
        Assert.True(await ResetPendingAsync(admin));
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit", Ct);
        Assert.Contains(audit.EnumerateArray(), a =>
            a.GetProperty("action").GetString() == "device.reset-automatic"
            && a.GetProperty("details").GetString()!.Contains("backup restored", StringComparison.Ordinal));

        await AcknowledgeAsync(admin);
        await RestoreAsync(admin, archive);
        Assert.False(await ResetPendingAsync(admin));
    }

    [Fact]
    public async Task ResetAutomatically_RestoreOfAnArchiveWithoutDevices_MarksTheDevicesThatStay()
    {
        using var admin = await PrepareAsync();
        using var backup = await admin.PostAsync("/api/backup", null, Ct);
        Assert.Equal(HttpStatusCode.OK, backup.StatusCode);

        // A version 1 archive (taken before devices were backed up) leaves the device table as it is.
        var archives = factory.Services.GetRequiredService<IPasswordArchive>();
        var document = JsonNode.Parse(archives.Open(await backup.Content.ReadAsByteArrayAsync(Ct), ApiFactory.SecurityPassword))!.AsObject();
        document.Remove("devices");
        document.Remove("servedFiles");
        document.Remove("deviceReports");
        document["version"] = 1;
        var version1 = archives.Seal(Encoding.UTF8.GetBytes(document.ToJsonString()), ApiFactory.SecurityPassword);

        await RegenerateAsync(admin, "TVS");
        await AcknowledgeAsync(admin);
        await RestoreAsync(admin, version1);
        Assert.True(await ResetPendingAsync(admin));
    }

    private static async Task RestoreAsync(HttpClient admin, byte[] archive)
    {
        using var body = new ByteArrayContent(archive);
        body.Headers.ContentType = new("application/octet-stream");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/restore", body, Ct)).StatusCode);
    }

    private async Task<HttpClient> PrepareAsync()
    {
        var admin = factory.Admin();
        var devices = await admin.GetFromJsonAsync<JsonElement>("/api/devices", Ct);
        if (!devices.EnumerateArray().Any(d => d.GetProperty("name").GetString() == Device))
        {
            await PlanApiTests.CreateDeviceAsync(admin, Device, "8861");
        }

        // Earlier changes stay "pending" for the lock rule; these tests are about resets, not locks.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/nodes/cucm-pub/itl/propagated", null, Ct)).StatusCode);
        await AcknowledgeAsync(admin);
        return admin;
    }

    private static async Task AcknowledgeAsync(HttpClient admin) =>
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/devices/{Device}/reset", Ct)).StatusCode);

    private static async Task<bool> ResetPendingAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Device}/reset", Ct)).GetProperty("resetPending").GetBoolean();

    private static async Task<JsonElement> RegenerateAsync(HttpClient admin, string certificate)
    {
        var response = await admin.PostAsync($"/api/nodes/cucm-pub/certificates/{certificate}/regenerate", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static async Task SetParameterAsync(HttpClient admin, string name, string value)
    {
        using var body = JsonContent.Create(new { value });
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/parameters/{name}", body, Ct)).StatusCode);
    }

    /// <summary>The ITL bytes the TFTP service serves, hashed: the ground truth for "the ITL changed".</summary>
    private static async Task<string> ItlHashAsync(HttpClient admin) =>
        Convert.ToHexString(SHA256.HashData(await admin.GetByteArrayAsync("/api/files/ITLFile.tlv", Ct)));
}
