using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using SbdServer.Phone;
using SbdServer.Phone.Net;
using SbdServer.Wire.Itl;
using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>cucm-reference.md section 3 on a one-node cluster (127.0.0.11), with emulated phones.</summary>
public sealed class SingleNodeScenarios : ScenarioTestBase
{
    private const string Pub = "cucm-pub";
    private const string PubTvs = "127.0.0.11:2445";

    /// <summary>Scenarios 1 (first boot), 2 (unknown phone), 3 (generic ITL), 4 (config change) and 22 (no .enc.sgn).</summary>
    [Fact]
    public async Task FirstBoot_UnknownPhone_GenericItl_ConfigChange_NoEncryptedConfig()
    {
        var cluster = await ClusterAsync(1, "ITLRecovery");
        var phone = await PhoneAsync(cluster, "0A0B0C0D0001");

        // 1: no CTL in a non-secure cluster, the ITL trusted on first use, then the signed config.
        var first = await phone.BootAsync();
        Expect.Accepted(first, "ITL installed", "scenario 1");
        Assert.Equal($"SEP{phone.Mac}.cnf.xml.sgn", first.ConfigFile);
        Assert.Contains(first.Log, l => l.Contains($"File Not Found <CTLSEP{phone.Mac}.tlv>", StringComparison.Ordinal));
        Assert.Contains(first.Log, l => l.Contains("authenticated file approved - add .sgn", StringComparison.Ordinal));
        Assert.Equal(await phone.ServedItlMd5Async(cluster.Publisher), first.Itl!.Md5);
        Expect.NoTvs(first, "scenario 1");

        // The phone's Trust List menu equals what "show itl" (sbd tlv show) prints for the served file.
        var served = await cluster.Admin.GetByteArrayAsync($"/api/files/ITLSEP{phone.Mac}.tlv", Ct);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(served)), phone.TrustList().Itl!.Sha1);

        // The server's ITL File Status for the phone: in sync, from the phone's own report.
        var device = await cluster.Admin.GetFromJsonAsync<JsonElement>($"/api/devices/{phone.Name}", Ct);
        var itlStatus = device.GetProperty("trust").EnumerateArray().Single(t => t.GetProperty("file").GetString() == "ITL");
        Assert.Equal(first.Itl.Md5, itlStatus.GetProperty("reportedMd5").GetString());
        Assert.Equal("InSync", itlStatus.GetProperty("state").GetString());

        // 2: an unknown phone with auto-registration on gets the signed XMLDefault.
        await cluster.SetParameterAsync("AutoRegistration", "True");
        var unknown = await PhoneAsync(cluster, "0A0B0C0D00FF", register: false);
        var unknownBoot = await unknown.BootAsync();
        Expect.Accepted(unknownBoot, "ITL installed", "scenario 2");
        Assert.Equal("XMLDefault.cnf.xml.sgn", unknownBoot.ConfigFile);
        Assert.Contains(unknownBoot.Log, l => l.Contains($"File Not Found <SEP{unknown.Mac}.cnf.xml.sgn>", StringComparison.Ordinal));

        // 3: the generic ITL: same bytes as every per-device name, FILENAME inside always ITLFile.tlv.
        var generic = await cluster.Admin.GetByteArrayAsync("/api/files/ITLFile.tlv", Ct);
        Assert.Equal(generic, served);
        Assert.Equal("ITLFile.tlv", TrustListCodec.Parse(served).Header.FileName);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(generic)), unknownBoot.Itl!.Md5);

        // 4: a config change with the same keys: re-signed config accepted, ITL unchanged, no TVS.
        var change = await cluster.Admin.PutAsJsonAsync($"/api/devices/{phone.Name}", new { securityProfile = "Authenticated" }, Ct);
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        var second = await phone.BootAsync();
        Expect.Accepted(second, "ITL installed", "scenario 4");
        Assert.Equal(first.Itl.Md5, second.Itl!.Md5);
        Assert.Contains(second.Log, l => l.Contains("ITLFile.tlv unchanged", StringComparison.Ordinal));
        Expect.NoTvs(second, "scenario 4");
        var config = XDocument.Load(Path.Combine(phone.StateDirectory, PhoneState.ConfigFile)).Root!;
        Assert.Equal("2", config.Element("deviceSecurityMode")!.Value);

        // 22: encrypted config off: TFTP answers "file not found" for .enc.sgn and the phone runs on the .sgn.
        var tftp = new TftpFileClient(new TftpClientOptions());
        var enc = await tftp.GetAsync(new IPEndPoint(IPAddress.Parse(cluster.Publisher.Address), 69), $"SEP{phone.Mac}.cnf.xml.enc.sgn", Ct);
        Assert.False(enc.IsFound);
        Assert.Equal($"SEP{phone.Mac}.cnf.xml.sgn", second.ConfigFile);
    }

    /// <summary>
    /// Scenarios 7, 8, 9 (CallManager signer, pre-12) and 11 (ITLRecovery signer, 12+): regenerating TVS alone, then
    /// CallManager alone, then both together; the planner's verdict before each change against the phone's boot.
    /// </summary>
    [Theory]
    [InlineData("CallManager")]
    [InlineData("ITLRecovery")]
    public async Task Regenerations_OnASingleNode_InBothSignerModes(string signerMode)
    {
        var cluster = await ClusterAsync(1, signerMode);
        var phone = await PhoneAsync(cluster, "0A0B0C0D0010");
        Expect.Accepted(await phone.BootAsync(), "ITL installed", "first boot");

        // 8: TVS alone: the ITL signer is unchanged, the phone verifies the new ITL itself.
        var plan = await cluster.PlanAsync(Regenerate(Pub, "TVS"));
        await cluster.RegenerateAsync(Pub, "TVS");
        var tvsOnly = await phone.BootAsync();
        Expect.Accepted(tvsOnly, "Trust List updated", "scenario 8");
        Expect.NoTvs(tvsOnly, "scenario 8");
        Expect.PlannerAgrees(plan, phone, tvsOnly);
        await cluster.MarkPropagatedAsync();

        // 7 / 11: CallManager alone: pre-12 the new signer is vouched for by TVS; 12+ the signer did not change.
        plan = await cluster.PlanAsync(Regenerate(Pub, "CallManager"));
        await cluster.RegenerateAsync(Pub, "CallManager");
        var cmOnly = await phone.BootAsync();
        Expect.Accepted(cmOnly, "Trust List updated", "scenario 7/11");
        if (signerMode == "CallManager")
        {
            Expect.TvsAnswered(cmOnly, "scenario 7", PubTvs);
        }
        else
        {
            Expect.NoTvs(cmOnly, "scenario 11");
        }

        Expect.PlannerAgrees(plan, phone, cmOnly);
        await cluster.MarkPropagatedAsync();
        var before = cmOnly.Itl!.Md5;

        // 9 / 11: both together: pre-12 the phone is locked (its ITL trusts neither the new signer nor the new TVS);
        // 12+ the ITLRecovery signer is unchanged and the new ITL brings the CallManager the new config verifies with.
        plan = await cluster.PlanAsync(Regenerate(Pub, "CallManager"), Regenerate(Pub, "TVS"));
        await cluster.RegenerateAsync(Pub, "CallManager");
        await cluster.RegenerateAsync(Pub, "TVS");
        var both = await phone.BootAsync();
        Expect.PlannerAgrees(plan, phone, both);
        if (signerMode == "CallManager")
        {
            Expect.TrustFailed(both, Expect.Locked, "scenario 9");
            Assert.Equal(before, phone.InstalledItlMd5); // the old ITL stays installed
            Assert.NotEqual(await phone.ServedItlMd5Async(cluster.Publisher), phone.InstalledItlMd5);

            // HTTPS services fail too: the TVS certificate is not the one the phone's ITL pins.
            var https = await phone.HttpsAsync($"https://{cluster.Publisher.Address}:8443/ccmcip/xmldirectory.jsp");
            Assert.False(https.Trusted, string.Join('\n', https.Log));

            // The phone's own report makes the server list it as mismatched (CUCM 14 "ITL File Status"), scenario 28.
            var device = await cluster.Admin.GetFromJsonAsync<JsonElement>($"/api/devices/{phone.Name}", Ct);
            var itl = device.GetProperty("trust").EnumerateArray().Single(t => t.GetProperty("file").GetString() == "ITL");
            Assert.True("ReportedMismatch" == itl.GetProperty("state").GetString(), device.ToString() + "\n" + string.Join("\n", both.Log));

            // The only fix without a key restore: erase the trust list on the phone, which then trusts on first use.
            phone.Erase();
            Expect.Accepted(await phone.BootAsync(), "ITL installed", "after erasing the trust list");
        }
        else
        {
            Expect.Accepted(both, "Trust List updated", "scenario 11");
            Expect.NoTvs(both, "scenario 11");
            Assert.Equal(await phone.ServedItlMd5Async(cluster.Publisher), phone.InstalledItlMd5);
        }
    }
}
