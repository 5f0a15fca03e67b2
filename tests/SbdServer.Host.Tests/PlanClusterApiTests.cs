using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Tftp.Http;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// The seed's outcomes over <c>POST /api/plan</c> on the three-node cluster the real bootstrapper creates (group
/// Default = cucm-pub, cucm-sub1, cucm-sub2), switched to the pre-12 CallManager signer mode.
/// </summary>
public sealed class PlanClusterApiTests(ClusterFactory factory) : IClassFixture<ClusterFactory>
{
    private const string Prefix = "SEP0000000C000";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Plan_ThreeNodes_CallManagerMode_SeedOutcomes()
    {
        using var admin = await PrepareAsync();

        var callManager = await OneOutcomeAsync(admin, """[{"node":"cucm-pub","certificate":"CallManager","action":"regenerate"}]""");
        Assert.True(callManager.Keeps);
        Assert.StartsWith("new signer CallManager of cucm-pub verified via TVS on cucm-pub (its TVS certificate is still in the phone's ITL)", callManager.Reason, StringComparison.Ordinal);

        var tvs = await OneOutcomeAsync(admin, """[{"node":"cucm-pub","certificate":"TVS","action":"regenerate"}]""");
        Assert.True(tvs.Keeps);
        Assert.StartsWith("ITL signer unchanged (CallManager of cucm-pub)", tvs.Reason, StringComparison.Ordinal);

        var both = await OneOutcomeAsync(admin, """
            [{"node":"cucm-pub","certificate":"CallManager","action":"regenerate"},{"node":"cucm-pub","certificate":"TVS","action":"regenerate"}]
            """);
        Assert.True(both.Keeps);
        Assert.StartsWith("new signer CallManager of cucm-pub verified via TVS on cucm-sub1", both.Reason, StringComparison.Ordinal);

        // Scenario 10: the same change on every node of the group at once is scenario 9.
        var everywhere = await OneOutcomeAsync(admin, """
            [{"node":"cucm-pub","certificate":"CallManager","action":"regenerate"},{"node":"cucm-pub","certificate":"TVS","action":"regenerate"},
             {"node":"cucm-sub1","certificate":"TVS","action":"regenerate"},{"node":"cucm-sub2","certificate":"TVS","action":"regenerate"}]
            """);
        Assert.False(everywhere.Keeps);
        Assert.StartsWith(
            "locked: signer CallManager of cucm-pub changes and the TVS certificates of its group {cucm-pub, cucm-sub1, cucm-sub2} change too",
            everywhere.Reason, StringComparison.Ordinal);

        var rollback = await OneOutcomeAsync(admin, """[{"parameter":"PrepareClusterForRollbackToPre80","value":"True"}]""");
        Assert.True(rollback.Keeps);
        Assert.StartsWith("rollback ITL accepted", rollback.Reason, StringComparison.Ordinal);

        var rename = await OneOutcomeAsync(admin, """[{"node":"cucm-pub","action":"rename","fqdn":"pub.other.example"}]""");
        Assert.True(rename.Keeps);
        Assert.Contains("via TVS on cucm-sub1", rename.Reason, StringComparison.Ordinal);

        var backToItlRecovery = await OneOutcomeAsync(admin, """
            [{"parameter":"ItlSignerMode","value":"ITLRecovery"},{"node":"cucm-pub","certificate":"TVS","action":"regenerate"}]
            """);
        Assert.True(backToItlRecovery.Keeps);
        Assert.StartsWith("new signer ITLRecovery verified via TVS on cucm-sub1", backToItlRecovery.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateRoute_DryRun_CarriesThePerDeviceOutcome()
    {
        using var admin = await PrepareAsync();

        var response = await admin.PostAsync("/api/nodes/cucm-pub/certificates/CallManager/regenerate?dryRun=true", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(report.GetProperty("applied").GetBoolean());
        var device = Assert.Single(PlanApiTests.Devices(report, Prefix));
        Assert.True(device.GetProperty("keepsTrust").GetBoolean());
        Assert.Contains("via TVS on cucm-pub", device.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(report.GetProperty("devices").GetArrayLength(), report.GetProperty("kept").GetInt32() + report.GetProperty("lost").GetInt32());
    }

    [Fact]
    public async Task Plan_UsesTheServedFileRecords_InSyncAfterAFetch_AtRiskOnceStale()
    {
        using var admin = await PrepareAsync();
        const string Name = "SEP0000000F0001";
        await PlanApiTests.CreateDeviceAsync(admin, Name, "8861");
        using var phone = new HttpClient();
        var port = factory.Services.GetRequiredService<TftpHttpService>().LocalEndPoint!.Port;
        Assert.NotEmpty(await phone.GetByteArrayAsync($"http://127.0.0.1:{port}/ITLSEP{Name[3..]}.tlv", Ct));

        // Served-file records are written in batches off the I/O path.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement device;
        do
        {
            await Task.Delay(100, Ct);
            device = await OneDeviceAsync(admin, Name, """[{"node":"cucm-pub","certificate":"CallManager","action":"regenerate"}]""");
        }
        while (device.GetProperty("itl").GetString() != "InSync" && DateTime.UtcNow < deadline);

        Assert.Equal("InSync", device.GetProperty("itl").GetString());
        Assert.True(device.GetProperty("keepsTrust").GetBoolean());
        Assert.DoesNotContain("no ITL fetch recorded", device.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The CAPF record of the ITL changes while the phone is away: what it holds is no longer known.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/nodes/cucm-pub/certificates/CAPF/regenerate", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/nodes/cucm-pub/itl/propagated", null, Ct)).StatusCode);

        var stale = await OneDeviceAsync(admin, Name, """[{"node":"cucm-pub","certificate":"CallManager","action":"regenerate"}]""");
        Assert.Equal("Stale", stale.GetProperty("itl").GetString());
        Assert.False(stale.GetProperty("keepsTrust").GetBoolean());
        Assert.StartsWith("at risk:", stale.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var tomcat = await OneDeviceAsync(admin, Name, """[{"node":"cucm-pub","certificate":"tomcat","action":"regenerate"}]""");
        Assert.True(tomcat.GetProperty("keepsTrust").GetBoolean());
        Assert.False(tomcat.GetProperty("itlChanges").GetBoolean());
    }

    private static async Task<JsonElement> OneDeviceAsync(HttpClient admin, string name, string changes) =>
        Assert.Single(PlanApiTests.Devices(await PlanApiTests.PlanAsync(admin, "{\"changes\":" + changes + "}"), name));

    private async Task<HttpClient> PrepareAsync()
    {
        var admin = factory.Admin();
        using (var mode = JsonContent.Create(new { value = "CallManager" }))
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/parameters/ItlSignerMode", mode, Ct)).StatusCode);
        }

        // The mode switch is itself pending for phones; acknowledge it so that each plan below stands alone.
        foreach (var node in ClusterFactory.NodeNames)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/nodes/{node}/itl/propagated", null, Ct)).StatusCode);
        }

        var devices = await admin.GetFromJsonAsync<JsonElement>("/api/devices", Ct);
        if (!devices.EnumerateArray().Any(d => d.GetProperty("name").GetString() == Prefix + "1"))
        {
            await PlanApiTests.CreateDeviceAsync(admin, Prefix + "1", "8861");
        }

        return admin;
    }

    private static async Task<(bool Keeps, string Reason)> OneOutcomeAsync(HttpClient admin, string changes)
    {
        var plan = await PlanApiTests.PlanAsync(admin, "{\"changes\":" + changes + "}");
        var device = Assert.Single(PlanApiTests.Devices(plan, Prefix));
        return (device.GetProperty("keepsTrust").GetBoolean(), device.GetProperty("reason").GetString()!);
    }
}
