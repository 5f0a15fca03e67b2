using System.Security.Cryptography.X509Certificates;
using SbdServer.Wire.Itl;
using Xunit;
using static SbdServer.Scenarios.Tests.ScenarioCluster;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// Scenario 19: tokenless mixed mode (<c>utils ctl set-cluster mixed-mode</c>) on a one-node cluster, in both signer
/// modes (the CTL is signed by the ITL's signer: CallManager before 12, ITLRecovery from 12).
/// </summary>
public sealed class MixedModeScenarios : ScenarioTestBase
{
    private const string Pub = "cucm-pub";

    [Theory]
    [InlineData("CallManager")]
    [InlineData("ITLRecovery")]
    public async Task TokenlessMixedMode_PhonesInstallTheCtl_TftpRecordBecomesCcmTftp(string signerMode)
    {
        var cluster = await ClusterAsync(1, signerMode);
        var phone = await PhoneAsync(cluster, "0A0B0C0D1901");
        var first = await phone.BootAsync();
        Expect.Accepted(first, "ITL installed", "non-secure first boot");
        Assert.Null(first.Ctl);

        var plan = await cluster.PlanAsync(Parameter("ClusterSecurityMode", "Mixed"));
        await cluster.SetParameterAsync("ClusterSecurityMode", "Mixed");
        var mixed = await phone.BootAsync();
        Expect.Accepted(mixed, "CTL and ITL installed", "scenario 19, phone reset after mixed mode");
        Expect.NoTvs(mixed, "scenario 19: the CTL's signer is in the phone's ITL");
        Expect.PlannerAgrees(plan, phone, mixed);
        await AssertMixedTrustAsync(cluster, phone, signerMode);

        // A phone that boots for the first time in the mixed cluster trusts the CTL on first use, then the ITL by it.
        var fresh = await PhoneAsync(cluster, "0A0B0C0D1902");
        var freshBoot = await fresh.BootAsync();
        Expect.Accepted(freshBoot, "CTL and ITL installed", "scenario 19, new phone");
        await AssertMixedTrustAsync(cluster, fresh, signerMode);

        // Nothing changed since: the next reset keeps both lists.
        var again = await phone.BootAsync();
        Expect.Accepted(again, "CTL and ITL installed", "scenario 19, second reset");
        Assert.Equal(mixed.Ctl, again.Ctl);
        Assert.Equal(mixed.Itl, again.Itl);
    }

    private static async Task AssertMixedTrustAsync(ScenarioCluster cluster, ScenarioPhone phone, string signerMode)
    {
        var trust = phone.TrustList();
        Assert.Equal(await phone.ServedCtlMd5Async(cluster.Publisher), trust.Ctl!.Md5);
        Assert.Equal(await phone.ServedItlMd5Async(cluster.Publisher), trust.Itl!.Md5);

        using var callManager = await cluster.CertificateAsync(Pub, "CallManager");
        using var signer = await cluster.CertificateAsync(Pub, signerMode);
        Assert.Contains(trust.ItlFile!.Records, r => r.Role == TrustRole.CcmTftp && Is(r, callManager.RawData));
        Assert.DoesNotContain(trust.ItlFile.Records, r => r.Role == TrustRole.Tftp);
        Assert.Contains(trust.CtlFile!.Records, r => r.Role == TrustRole.CcmTftp && Is(r, callManager.RawData));
        Assert.Contains(trust.CtlFile.Records, r => r.Role == TrustRole.Sast && Is(r, signer.RawData));
        Assert.StartsWith($"CN={signer.GetNameInfo(X509NameType.SimpleName, forIssuer: false)};", trust.CtlFile.Header.SignerName, StringComparison.Ordinal);
    }

    private static bool Is(TrustListRecord record, byte[] der) =>
        record.Certificate is { } certificate && certificate.AsSpan().SequenceEqual(der);
}
