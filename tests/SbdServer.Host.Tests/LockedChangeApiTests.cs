using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>The certificate routes' confirmation rule with the per-device outcome (one-node cluster, CallManager signer).</summary>
public sealed class LockedChangeApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Device = "SEP0000000E0001";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TvsAfterCallManager_BeforePropagation_Is409NamingTheLockedDevices_ConfirmAppliesAndResets()
    {
        using var admin = factory.Admin();
        await PlanApiTests.CreateDeviceAsync(admin, Device, "8861");
        using (var mode = JsonContent.Create(new { value = "CallManager" }))
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/parameters/ItlSignerMode", mode, Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/nodes/cucm-pub/itl/propagated", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/devices/{Device}/reset", Ct)).StatusCode);

        var callManager = await admin.PostAsync("/api/nodes/cucm-pub/certificates/CallManager/regenerate", null, Ct);
        Assert.Equal(HttpStatusCode.OK, callManager.StatusCode);
        Assert.Equal(1, (await callManager.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("kept").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/devices/{Device}/reset", Ct)).StatusCode);

        // The plan sees the pending CallManager change too.
        var plan = await PlanApiTests.PlanAsync(admin, """{"changes":[{"node":"cucm-pub","certificate":"TVS","action":"regenerate"}]}""");
        Assert.False(Assert.Single(PlanApiTests.Devices(plan, Device)).GetProperty("keepsTrust").GetBoolean());

        var refused = await admin.PostAsync("/api/nodes/cucm-pub/certificates/TVS/regenerate", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var report = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, report.GetProperty("lost").GetInt32());
        var locked = Assert.Single(PlanApiTests.Devices(report, Device));
        Assert.StartsWith("locked: signer CallManager of cucm-pub changes", locked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Device}/reset", Ct)).GetProperty("resetPending").GetBoolean());

        var confirmed = await admin.PostAsync("/api/nodes/cucm-pub/certificates/TVS/regenerate?confirm=true", null, Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var applied = await confirmed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(applied.GetProperty("applied").GetBoolean());
        Assert.Contains(Device, applied.GetProperty("resetDevices").EnumerateArray().Select(e => e.GetString()));
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Device}/reset", Ct)).GetProperty("resetPending").GetBoolean());
    }
}
