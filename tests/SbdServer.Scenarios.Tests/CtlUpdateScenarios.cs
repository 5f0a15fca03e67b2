using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SbdServer.Phone;
using SbdServer.Phone.Capf;
using SbdServer.Phone.Registration;
using SbdServer.Testing;
using SbdServer.Wire.Itl;
using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// Scenario 20: mixed mode, CallManager regenerated without <c>utils ctl update</c>. The CTL keeps the set written at
/// <c>set-cluster mixed-mode</c>, so after the regeneration it still lists the old CallManager: a phone with an
/// authenticated profile keeps its trust lists and config (the ITL brings the new CallManager) but its SIP/TLS
/// registration fails, until the CTL update and a reset. A phone that was off during the change takes the updated CTL
/// through TVS where its own lists cannot verify it (CallManager signer mode). Both phones present a certificate
/// CallManager checks (the first its LSC from CAPF, the offline one its MIC), without which the REGISTER is a 403.
/// </summary>
public sealed class CtlUpdateScenarios : ScenarioTestBase
{
    private const string Pub = "cucm-pub";

    [Theory]
    [InlineData("CallManager")]
    [InlineData("ITLRecovery")]
    public async Task CallManagerRegeneratedWithoutCtlUpdate_TlsRegistrationFails_UntilTheCtlUpdateAndAReset(string signerMode)
    {
        var cluster = await ClusterAsync(1, signerMode);
        await cluster.AddDeviceAsync("0A0B0C0D2001", "8861", "Authenticated");
        await cluster.AddDeviceAsync("0A0B0C0D2002", "8861", "Authenticated");
        var phone = await PhoneAsync(cluster, "0A0B0C0D2001", register: false);
        var offline = await PhoneAsync(cluster, "0A0B0C0D2002", register: false);
        await cluster.SetParameterAsync("ClusterSecurityMode", "Mixed");

        Expect.Accepted(await phone.BootAsync(), "CTL and ITL installed", "mixed mode, first boot");
        Expect.Accepted(await offline.BootAsync(), "CTL and ITL installed", "mixed mode, first boot of the phone that goes offline");

        // CallManager asks a secure device for its certificate: none is a 403; an LSC from CAPF (this phone) or a MIC
        // whose manufacturing CA is in CAPF-trust (the offline phone) registers.
        var bare = await phone.RegisterAsync();
        Assert.True(bare.Outcome == RegisterOutcome.Failed && bare.SipStatus == 403
            && bare.Status == "Registration rejected: 403 Forbidden (the phone presented no certificate (LSC or MIC))",
            $"{bare.Status}\n{string.Join('\n', bare.Log)}");
        await InstallLscAsync(cluster, phone);
        await GiveMicAsync(cluster, offline);
        var registered = await phone.RegisterAsync();
        Registered(registered, "the CTL lists the current CallManager, the phone presents its LSC");
        Assert.Contains(registered.Log, l => l.Contains($"presented its LSC CN={phone.Name}", StringComparison.Ordinal));
        Assert.False((await CtlAsync(cluster)).GetProperty("stale").GetBoolean());
        using var oldCallManager = await cluster.CertificateAsync(Pub, "CallManager");
        var ctlBefore = await phone.ServedCtlMd5Async(cluster.Publisher);

        // The planner says what CUCM's documentation does: trust kept, TLS registration lost until the CTL update.
        var (plan, warnings) = await PlanWithWarningsAsync(cluster, Regenerate(Pub, "CallManager"));
        Assert.True(plan[phone.Name].KeepsTrust, plan[phone.Name].Reason);
        Assert.Contains("TLS registration with cucm-pub fails until the CTL update", plan[phone.Name].Reason, StringComparison.Ordinal);
        Assert.Contains(warnings, w => w.Contains("CTL keeps listing the old certificate of CallManager of cucm-pub", StringComparison.Ordinal));
        await cluster.RegenerateAsync(Pub, "CallManager");

        var stale = await CtlAsync(cluster);
        Assert.True(stale.GetProperty("stale").GetBoolean());
        Assert.Contains(stale.GetProperty("differences").EnumerateArray(),
            d => d.GetString()!.StartsWith("CallManager of cucm-pub (CCM+TFTP) was regenerated", StringComparison.Ordinal));
        Assert.Equal(ctlBefore, await phone.ServedCtlMd5Async(cluster.Publisher)); // the CTL is the very same file
        var (_, staleWarnings) = await PlanWithWarningsAsync(cluster, Regenerate(Pub, "TVS"));
        Assert.Contains(staleWarnings, w => w.StartsWith("The CTL is out of date: CallManager of cucm-pub", StringComparison.Ordinal));

        // The automatic reset: the new ITL is taken (signed by the unchanged ITLRecovery, or vouched by TVS for the new
        // CallManager), the config verifies against its new CCM+TFTP record; the CTL is unchanged.
        var reset = await phone.BootAsync();
        Expect.Accepted(reset, "Trust List updated", "scenario 20, reset after the regeneration");
        Expect.PlannerAgrees(plan, phone, reset);
        if (signerMode == "ITLRecovery")
        {
            Expect.NoTvs(reset, "the ITL signer did not change");
        }
        else
        {
            Expect.TvsAnswered(reset, "the new CallManager signs the ITL", "127.0.0.11:2445");
        }

        Assert.Contains(phone.TrustList().CtlFile!.Records, r => r.Role == TrustRole.CcmTftp && r.Certificate!.AsSpan().SequenceEqual(oldCallManager.RawData));
        TrustFailed(await phone.RegisterAsync(), "scenario 20: the CTL still lists the old CallManager");

        // utils ctl update CTLFile (sbd ctl, as an admin runs it): the CTL lists the new CallManager; phones take it at
        // their next reset only.
        var (statusCode, status) = await SbdCli.AdminAsync(cluster.Publisher, "ctl", "status");
        Assert.True(statusCode == 0 && status.Contains("CTL is out of date:", StringComparison.Ordinal)
            && status.Contains("(regenerated since)", StringComparison.Ordinal), status);
        var (updateCode, update) = await SbdCli.AdminAsync(cluster.Publisher, "ctl", "update");
        Assert.True(updateCode == 0 && update.Contains("CTL updated", StringComparison.Ordinal), update);
        Assert.False((await CtlAsync(cluster)).GetProperty("stale").GetBoolean());
        Assert.NotEqual(ctlBefore, await phone.ServedCtlMd5Async(cluster.Publisher));
        TrustFailed(await phone.RegisterAsync(), "CTL updated, but the phone was not reset");

        var afterUpdate = await phone.BootAsync();
        Expect.Accepted(afterUpdate, "Trust List updated", "reset after the CTL update");
        Expect.NoTvs(afterUpdate, "the updated CTL's signer is in the phone's CTL (ITLRecovery) or new ITL (CallManager)");
        Registered(await phone.RegisterAsync(), "the updated CTL lists the new CallManager");

        // The phone that was off the whole time holds the first CTL and ITL: in CallManager mode neither names the new
        // signer, and TVS vouches for it (scenario 20: "TVS-capable phones accept the updated CTL via TVS").
        var late = await offline.BootAsync();
        Expect.Accepted(late, "Trust List updated", "the offline phone's first boot after the change and the CTL update");
        if (signerMode == "CallManager")
        {
            Expect.TvsAnswered(late, "the CTL and ITL are signed by the new CallManager", "127.0.0.11:2445");
        }
        else
        {
            Expect.NoTvs(late, "ITLRecovery signs CTL and ITL before and after");
        }

        var offlineRegistered = await offline.RegisterAsync();
        Registered(offlineRegistered, "the offline phone after its reset");
        Assert.Contains(offlineRegistered.Log, l => l.Contains($"presented its MIC CN=CP-8861-{offline.Name}", StringComparison.Ordinal));
    }

    private static async Task InstallLscAsync(ScenarioCluster cluster, ScenarioPhone phone)
    {
        using (var schedule = await cluster.Admin.PutAsJsonAsync($"/api/devices/{phone.Name}/capf", new { operation = "Install", authMode = "NullString" }, Ct))
        {
            Assert.True(schedule.IsSuccessStatusCode, await schedule.Content.ReadAsStringAsync(Ct));
        }

        var install = await PhoneCapfSession.RunAsync(phone.StateDirectory, cluster.Publisher.Address, 3804, "", TimeSpan.FromSeconds(30), Ct);
        Assert.True(install.Outcome == CapfClientOutcome.Installed, string.Join('\n', install.Log));
    }

    /// <summary>A MIC in the phone's state directory, its manufacturing CA (a stand-in for Cisco's) in CAPF-trust.</summary>
    private static async Task GiveMicAsync(ScenarioCluster cluster, ScenarioPhone phone)
    {
        using var manufacturing = TestPki.CertificateAuthority("CN=Scenario 20 Manufacturing CA");
        using var mic = TestPki.IssuedBy(manufacturing, $"CN=CP-8861-{phone.Name}");
        using var key = mic.GetRSAPrivateKey()!;
        await File.WriteAllTextAsync(Path.Combine(phone.StateDirectory, PhoneState.MicFile),
            mic.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n", Ct);
        using var upload = await cluster.Admin.PostAsync("/api/trust/CAPF-trust",
            new StringContent(manufacturing.ExportCertificatePem(), Encoding.ASCII, "application/x-pem-file"), Ct);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync(Ct));
    }

    private static void Registered(PhoneRegisterResult result, string because) =>
        Assert.True(result.Outcome == RegisterOutcome.Registered && result.Status == "Registered to cucm-pub (TLS)",
            $"{because}: got '{result.Status}' ({result.Outcome})\n{string.Join('\n', result.Log)}");

    private static void TrustFailed(PhoneRegisterResult result, string because) =>
        Assert.True(result.Outcome == RegisterOutcome.TrustFailed && result.Status == PhoneRegisterResult.TrustFailedStatus,
            $"{because}: got '{result.Status}' ({result.Outcome})\n{string.Join('\n', result.Log)}");

    private static async Task<JsonElement> CtlAsync(ScenarioCluster cluster) =>
        await cluster.Admin.GetFromJsonAsync<JsonElement>("/api/ctl", Ct);

    private static async Task<(Dictionary<string, Verdict> Devices, List<string> Warnings)> PlanWithWarningsAsync(
        ScenarioCluster cluster, params object[] changes)
    {
        var response = await cluster.Admin.PostAsJsonAsync("/api/plan", new { changes }, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        var plan = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (
            plan.GetProperty("devices").EnumerateArray().ToDictionary(
                d => d.GetProperty("name").GetString()!,
                d => new Verdict(d.GetProperty("keepsTrust").GetBoolean(), d.GetProperty("reason").GetString()!)),
            [.. plan.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)]);
    }
}
