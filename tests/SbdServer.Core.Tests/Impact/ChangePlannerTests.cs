using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;
using SbdServer.Core.Parameters;
using Xunit;

namespace SbdServer.Core.Tests.Impact;

/// <summary>The seed's outcomes (issue 4 acceptance) and the served-file rules, per device.</summary>
public class ChangePlannerTests
{
    private const string Cm = CertificateStores.CallManager;
    private const string Tvs = CertificateStores.Tvs;
    private const string Rollback = EnterpriseParameterCatalog.PrepareClusterForRollbackToPre80;
    private static readonly string[] ThreeNodes = ["cucm-pub", "cucm-sub1", "cucm-sub2"];

    [Fact]
    public void ThreeNodes_CallManagerOnly_KeptViaTvs()
    {
        var state = new PlannerState(ItlSignerMode.CallManager, ThreeNodes).Device("000000000001").Device("000000000002");

        var plan = state.Plan(ProposedChange.Regenerate("cucm-pub", Cm));

        Assert.Equal((2, 0), (plan.Kept, plan.Lost));
        Assert.All(plan.Devices, d => Assert.Equal(
            "new signer CallManager of cucm-pub verified via TVS on cucm-pub (its TVS certificate is still in the phone's ITL)", d.Reason));
        Assert.All(plan.Devices, d => Assert.True(d.ItlChanges));
    }

    [Fact]
    public void ThreeNodes_TvsOnly_KeptSignerUnchanged()
    {
        var plan = new PlannerState(ItlSignerMode.CallManager, ThreeNodes).Device("000000000001")
            .Plan(ProposedChange.Regenerate("cucm-pub", Tvs));

        var device = Assert.Single(plan.Devices);
        Assert.True(device.KeepsTrust);
        Assert.Equal("ITL signer unchanged (CallManager of cucm-pub)", device.Reason);
    }

    [Fact]
    public void SingleNode_CallManagerMode_BothTogether_LostForEveryPhone()
    {
        var state = new PlannerState(ItlSignerMode.CallManager, "cucm-pub")
            .Device("000000000001").Device("000000000002", model: "7962").Device("000000000003");

        var plan = state.Plan(ProposedChange.Regenerate("cucm-pub", Cm), ProposedChange.Regenerate("cucm-pub", Tvs));

        Assert.Equal((0, 3), (plan.Kept, plan.Lost));
        Assert.All(plan.Devices, d => Assert.Equal(
            "locked: signer CallManager of cucm-pub changes and the TVS certificates of its group {cucm-pub} change too", d.Reason));
        Assert.Contains(plan.Warnings, w => w.Contains("3 device(s) would lose trust", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoNodeGroup_BothOnOneNode_KeptViaTheOtherNode_PhonesOfAGroupOfThatNodeOnlyAreLost()
    {
        var state = new PlannerState(ItlSignerMode.CallManager, "cucm-pub", "cucm-sub1")
            .Group("Both", "cucm-pub", "cucm-sub1")
            .Group("PubOnly", "cucm-pub")
            .Device("0000000000B1", group: "Both")
            .Device("0000000000A1", group: "PubOnly");

        var plan = state.Plan(ProposedChange.Regenerate("cucm-pub", Cm), ProposedChange.Regenerate("cucm-pub", Tvs));

        var both = plan.Devices.Single(d => d.Name == "SEP0000000000B1");
        Assert.True(both.KeepsTrust);
        Assert.Equal(
            "new signer CallManager of cucm-pub verified via TVS on cucm-sub1 (its TVS certificate is still in the phone's ITL)", both.Reason);
        Assert.False(plan.Devices.Single(d => d.Name == "SEP0000000000A1").KeepsTrust);
        Assert.Equal((1, 1), (plan.Kept, plan.Lost));
    }

    [Fact]
    public void ItlRecoveryMode_BothTogether_Kept()
    {
        var plan = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub").Device("000000000001")
            .Plan(ProposedChange.Regenerate("cucm-pub", Cm), ProposedChange.Regenerate("cucm-pub", Tvs));

        var device = Assert.Single(plan.Devices);
        Assert.True(device.KeepsTrust);
        Assert.Equal("ITL signer unchanged (ITLRecovery)", device.Reason);
        Assert.Equal("ITLRecovery", device.Signer);
    }

    [Fact]
    public void Rollback_WhilePhonesTrustTheCluster_Kept_ThenAcceptsAnything()
    {
        var plan = new PlannerState(ItlSignerMode.CallManager, "cucm-pub").Device("000000000001")
            .Plan(ProposedChange.SetParameter(Rollback, "true"));

        var device = Assert.Single(plan.Devices);
        Assert.True(device.KeepsTrust);
        Assert.Equal("rollback ITL accepted: signed by CallManager of cucm-pub which the phone trusts; the phone then accepts any file", device.Reason);
        Assert.True(device.ItlChanges);
    }

    [Fact]
    public void Rollback_AfterAPendingChangeLockedThePhones_HasNoEffect()
    {
        var state = new PlannerState(ItlSignerMode.CallManager, "cucm-pub").Pending("cucm-pub", Cm).Pending("cucm-pub", Tvs)
            .Device("000000000001");

        var device = Assert.Single(state.Plan(ProposedChange.SetParameter(Rollback, "True")).Devices);

        Assert.False(device.KeepsTrust);
        Assert.StartsWith("rollback set too late", device.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RollbackInPlace_AnyChangeIsKept()
    {
        var plan = new PlannerState(ItlSignerMode.CallManager, "cucm-pub").Parameter(Rollback, "True").Device("000000000001")
            .Plan(ProposedChange.Regenerate("cucm-pub", Cm), ProposedChange.Regenerate("cucm-pub", Tvs));

        Assert.True(Assert.Single(plan.Devices).KeepsTrust);
    }

    [Fact]
    public void BulkItlReset_SignsWithCallManager_SoAnItlRecoveryChangeWithEveryTvsIsSurvived()
    {
        var state = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub").Device("000000000001");
        var itlRecovery = ProposedChange.Regenerate("cucm-pub", CertificateStores.ItlRecovery);
        var tvs = ProposedChange.Regenerate("cucm-pub", Tvs);

        // Without the reset: the signer changes and the only TVS with it (scenario 9's rule with ITLRecovery).
        Assert.False(Assert.Single(state.Plan(itlRecovery, tvs).Devices).KeepsTrust);

        // Starting the reset: the CallManager of the ITL the phone holds signs.
        var start = Assert.Single(state.Plan(ProposedChange.ItlReset("localkey")).Devices);
        Assert.True(start.KeepsTrust, start.Reason);
        Assert.True(start.ItlChanges);
        Assert.Contains("CallManager of cucm-pub", start.Reason, StringComparison.Ordinal);

        // During the reset: regenerating ITLRecovery (and TVS) leaves the CallManager signer alone.
        var during = state.ItlReset();
        var both = Assert.Single(during.Plan(itlRecovery, tvs).Devices);
        Assert.True(both.KeepsTrust, both.Reason);

        // Ending it ("restart TFTP"): the ITLRecovery is in the reset ITL the phone now holds.
        var end = Assert.Single(during.Plan(ProposedChange.ItlReset("none")).Devices);
        Assert.True(end.KeepsTrust, end.Reason);
        Assert.Contains("ITLRecovery", end.Reason, StringComparison.Ordinal);

        // CallManager and TVS together during the reset lock the phone, as in CallManager mode.
        Assert.False(Assert.Single(during.Plan(ProposedChange.Regenerate("cucm-pub", Cm), tvs).Devices).KeepsTrust);
        var bad = Assert.Throws<InvalidInputException>(() => during.Plan(ProposedChange.ItlReset("sometimes")));
        Assert.Contains("localkey", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServedFileRecords_NeverFetchedIsAssumedCurrent_StaleIsAtRiskOnlyWhenItsItlChanges()
    {
        var state = new PlannerState(ItlSignerMode.ItlRecovery, ThreeNodes)
            .Device("000000000001", itl: TrustFileState.NeverFetched)
            .Device("000000000002", itl: TrustFileState.Stale)
            .Device("000000000003", itl: TrustFileState.InSync)
            .Device("000000000004", itl: TrustFileState.ReportedMismatch);

        var cm = state.Plan(ProposedChange.Regenerate("cucm-pub", Cm));
        Assert.StartsWith("at risk:", cm.Devices[3].Reason, StringComparison.Ordinal);
        Assert.EndsWith("(no ITL fetch recorded for it: assumed to hold the ITL served now)", cm.Devices[0].Reason, StringComparison.Ordinal);
        Assert.True(cm.Devices[0].KeepsTrust);
        Assert.False(cm.Devices[1].KeepsTrust);
        Assert.StartsWith("at risk:", cm.Devices[1].Reason, StringComparison.Ordinal);
        Assert.True(cm.Devices[2].KeepsTrust);
        Assert.Contains(cm.Warnings, w => w.Contains("SEP000000000002", StringComparison.Ordinal));

        // tomcat is not in the ITL: nothing changes for the stale phone either.
        var tomcat = state.Plan(ProposedChange.Regenerate("cucm-pub", CertificateStores.Tomcat));
        Assert.Equal((4, 0), (tomcat.Kept, tomcat.Lost));
        Assert.All(tomcat.Devices, d => Assert.False(d.ItlChanges));
        Assert.Contains("its ITL does not change", tomcat.Devices[2].Reason, StringComparison.Ordinal);
        Assert.EndsWith("(it does not hold the ITL served now, as before the change)", tomcat.Devices[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Sha512_LosesOnlyModelsThatCannotVerifyIt_LegacyModelsIgnoreItl()
    {
        var plan = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub")
            .Device("000000000001", model: "7962").Device("000000000002", model: "8861").Device("000000000003", model: "7960")
            .Plan(ProposedChange.SetParameter(EnterpriseParameterCatalog.TftpFileSignatureAlgorithm, "sha-512"));

        Assert.False(plan.Devices[0].KeepsTrust);
        Assert.Contains("SHA-512", plan.Devices[0].Reason, StringComparison.Ordinal);
        Assert.True(plan.Devices[1].KeepsTrust);
        Assert.True(plan.Devices[2].KeepsTrust);
        Assert.Contains("does not use ITL files", plan.Devices[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MixedMode_GivesEveryPhoneANewItl_WithTheSameSigner_AndDoesNotHideALock()
    {
        var state = new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub").Device("000000000001");

        var mixed = Assert.Single(state.Plan(ProposedChange.SetParameter(EnterpriseParameterCatalog.ClusterSecurityMode, "mixed")).Devices);
        var same = Assert.Single(state.Plan(ProposedChange.SetParameter(EnterpriseParameterCatalog.ClusterSecurityMode, "NonSecure")).Devices);
        var locked = Assert.Single(new PlannerState(ItlSignerMode.CallManager, "cucm-pub").Device("000000000001").Plan(
            ProposedChange.SetParameter(EnterpriseParameterCatalog.ClusterSecurityMode, "Mixed"),
            ProposedChange.Regenerate("cucm-pub", Cm),
            ProposedChange.Regenerate("cucm-pub", Tvs)).Devices);

        Assert.Equal((true, true, "ITL signer unchanged (ITLRecovery)"), (mixed.KeepsTrust, mixed.ItlChanges, mixed.Reason));
        Assert.Equal((true, false), (same.KeepsTrust, same.ItlChanges));
        Assert.False(locked.KeepsTrust);
    }

    [Fact]
    public void SignerModeSwitch_ToItlRecovery_NeedsTvs()
    {
        var state = new PlannerState(ItlSignerMode.CallManager, "cucm-pub").Device("000000000001");

        var alone = Assert.Single(state.Plan(ProposedChange.SetParameter(EnterpriseParameterCatalog.ItlSignerMode, "ITLRecovery")).Devices);
        Assert.True(alone.KeepsTrust);
        Assert.StartsWith("new signer ITLRecovery verified via TVS on cucm-pub", alone.Reason, StringComparison.Ordinal);

        var withTvs = Assert.Single(state.Plan(
            ProposedChange.SetParameter(EnterpriseParameterCatalog.ItlSignerMode, "ITLRecovery"),
            ProposedChange.Regenerate("cucm-pub", Tvs)).Devices);
        Assert.False(withTvs.KeepsTrust);
    }

    [Fact]
    public void SignerModeSwitch_ToCallManager_IsVerifiedFromTheCurrentItl()
    {
        var device = Assert.Single(new PlannerState(ItlSignerMode.ItlRecovery, "cucm-pub").Device("000000000001")
            .Plan(ProposedChange.SetParameter(EnterpriseParameterCatalog.ItlSignerMode, "CallManager"),
                ProposedChange.Regenerate("cucm-pub", Tvs)).Devices);

        Assert.True(device.KeepsTrust);
        Assert.Equal("ITL signer unchanged (CallManager of cucm-pub)", device.Reason);
    }

    [Fact]
    public void Rename_SingleNodeCallManagerMode_IsLost_OneNodeOfThree_IsKept()
    {
        var single = new PlannerState(ItlSignerMode.CallManager, "cucm-pub").Device("000000000001")
            .Plan(ProposedChange.Rename("cucm-pub", "pub.new.example"));
        Assert.False(Assert.Single(single.Devices).KeepsTrust);

        var three = new PlannerState(ItlSignerMode.CallManager, ThreeNodes).Device("000000000001")
            .Plan(ProposedChange.Rename("cucm-pub", "pub.new.example"));
        Assert.Contains("via TVS on cucm-sub1", Assert.Single(three.Devices).Reason, StringComparison.Ordinal);
    }

    public static TheoryData<ProposedChange[], string> BadPlans => new()
    {
        { [], "empty" },
        { [.. Enumerable.Repeat(ProposedChange.Regenerate("cucm-pub", Tvs), ChangePlanner.MaxChanges + 1)], "limit is 100" },
        { [ProposedChange.Regenerate("nosuch", Cm)], "no node named 'nosuch'" },
        { [ProposedChange.Regenerate("cucm-pub", "ipsec")], "'ipsec' is not a certificate" },
        { [ProposedChange.Regenerate("cucm-sub1", CertificateStores.Capf), ProposedChange.Regenerate("cucm-pub", "bogus")], "changes[1]" },
        { [ProposedChange.SetParameter("AutoRegistration", "true")], "'AutoRegistration' is not a parameter" },
        { [ProposedChange.SetParameter(Rollback, "maybe")], "'maybe' is not allowed" },
        { [ProposedChange.SetParameter(Rollback, "true"), ProposedChange.SetParameter(Rollback, "false")], "set twice" },
        { [ProposedChange.Rename("cucm-pub", "not a name")], "not a DNS name" },
        { [ProposedChange.Rename("cucm-pub", "")], "'fqdn' is required" },
        { [new ProposedChange(ProposedChangeKind.Regenerate, Certificate: Cm)], "'node' is required" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public void BadInput_IsRefusedWithAReason(ProposedChange[] changes, string reason)
    {
        var state = new PlannerState(ItlSignerMode.CallManager, ThreeNodes).Device("000000000001");

        var ex = Assert.Throws<InvalidInputException>(() => state.Plan(changes));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Annotate_AddsDevicesToTheCertificateRouteReport()
    {
        var state = new PlannerState(ItlSignerMode.CallManager, "cucm-pub").Device("000000000001").Device("000000000002");
        var snapshot = state.Snapshot();
        var report = ImpactAnalyzer.Analyze(snapshot, [new("cucm-pub", Cm), new("cucm-pub", Tvs)]);

        var annotated = ChangePlanner.Annotate(snapshot, state.Devices, report);

        Assert.True(annotated.RequiresConfirmation);
        Assert.Equal((0, 2), (annotated.Kept, annotated.Lost));
        Assert.Equal(["SEP000000000001", "SEP000000000002"], annotated.Devices.Select(d => d.Name));
    }

    [Fact]
    public void ItlOver64KB_ThePlannerWarnsBeforeBuilding_AndNoPhoneKeepsTrust()
    {
        // TVS records carry the certificate's hash, about 1.1 KB each with 4096-bit keys: 60 nodes pass 64 KB.
        var names = Enumerable.Range(0, 60).Select(i => i == 0 ? "cucm-pub" : $"cucm-sub{i}").ToArray();
        var big = new PlannerState(ItlSignerMode.CallManager, names).Device("000000000001");
        var small = new PlannerState(ItlSignerMode.CallManager, ThreeNodes).Device("000000000001");
        using var key = System.Security.Cryptography.RSA.Create(4096);
        foreach (var identity in big.Snapshot().Identities.Concat(small.Snapshot().Identities).Where(i => CertificateStores.ItlRelevant.Contains(i.Name)))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                $"CN={identity.Name}-{identity.Id}", key, System.Security.Cryptography.HashAlgorithmName.SHA256,
                System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
            identity.Der = certificate.RawData;
        }

        var plan = big.Plan(ProposedChange.Regenerate("cucm-pub", Tvs));
        var kept = small.Plan(ProposedChange.Regenerate("cucm-pub", Tvs));

        Assert.Contains(plan.Warnings, w => w.StartsWith("The ITL of cucm-pub would be about ", StringComparison.Ordinal) && w.Contains("over the 65536 bytes", StringComparison.Ordinal));
        var device = Assert.Single(plan.Devices);
        Assert.False(device.KeepsTrust);
        Assert.Contains("the phone fails to load it", device.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(kept.Warnings, w => w.Contains("over the 65536 bytes", StringComparison.Ordinal));
        Assert.True(Assert.Single(kept.Devices).KeepsTrust);
    }
}
