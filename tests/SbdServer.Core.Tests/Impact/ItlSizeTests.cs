using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Core.Tests.Impact;

/// <summary>
/// Scenario 27 at the source: a regeneration with a larger key or a CA-signed upload that grows the ITL past the 64 KB
/// phones load is a lock-out (confirmation, the size warning, the phones "locked"); the size estimate it rests on.
/// </summary>
public class ItlSizeTests
{
    private const string Tvs = CertificateStores.Tvs;
    private const int Limit = PhoneModel.ItlLimitBytes;

    // One RSA 4096 regeneration of a TVS certificate adds (526 - 270) public key + (512 - 256) signature bytes to the
    // TVS record, which carries no certificate.
    private const int Rsa4096TvsGrowth = 512;

    private static readonly Lazy<(PlannerState Builder, SecuritySnapshot State)> LargeCluster = new(() =>
    {
        // 100 nodes of real RSA 2048 certificates (cached keys, so only signatures are computed); a test takes the
        // first n of them. A TVS record is some 750 bytes: the ITL passes 64 KB between 80 and 90 nodes.
        var names = Enumerable.Range(0, 100).Select(i => i == 0 ? "cucm-pub" : $"cucm-sub{i:00}").ToArray();
        var builder = new PlannerState(ItlSignerMode.ItlRecovery, names).Device("000000000001");
        var state = builder.Snapshot();
        foreach (var identity in state.Identities.Where(i => CertificateStores.ItlRelevant.Contains(i.Name)))
        {
            var owner = state.Nodes.First(n => n.Id == identity.NodeId);
            identity.Der = TestPki.SelfSigned(TestPki.Name(owner.Fqdn, ou: identity.Name), 2048).RawData;
            identity.KeyAlgorithm = KeyAlgorithm.Rsa2048;
        }

        return (builder, state);
    });

    private static IReadOnlyList<PlannedDevice> Devices => LargeCluster.Value.Builder.Devices;

    [Fact]
    public void EstimatedBytes_ForANewKey_IsWithinAFewBytesOfTheRegeneratedCertificate_AndExactForAnUpload()
    {
        var state = Take(3);
        foreach (var mode in new[] { ItlSignerMode.ItlRecovery, ItlSignerMode.CallManager })
        {
            var pub = state.Nodes[0];

            // The TVS record and, in CallManager mode, the signer (its certificate twice and the header's signature).
            foreach (var (node, name) in new[] { (state.Nodes[1], Tvs), (pub, CertificateStores.CallManager) })
            {
                var identity = state.FindIdentity(node, name)!;
                var estimated = ItlContent.EstimatedBytes(state, pub, mode, Replace(identity, new CertificateReplacement(Key: KeyAlgorithm.Rsa4096)));
                var regenerated = TestPki.SelfSigned(TestPki.Name(node.Fqdn, ou: name), 4096).RawData;
                var actual = ItlContent.EstimatedBytes(WithRsa4096(state, identity, regenerated), pub, mode);

                Assert.InRange(estimated - actual, -4, 4);
                Assert.True(actual > ItlContent.EstimatedBytes(state, pub, mode) + 500, $"{name} in {mode}: {actual}");
                Assert.Equal(actual, ItlContent.EstimatedBytes(state, pub, mode, Replace(identity, new CertificateReplacement(regenerated))));
            }
        }
    }

    [Fact]
    public void Plan_TvsRegeneratedWithRsa4096_PastTheLimit_LocksThePhones_WithTheSizeWarning_TheSameKeyDoesNot()
    {
        var state = JustUnder(Rsa4096TvsGrowth);
        var before = ItlContent.EstimatedBytes(state, state.Nodes[0], ItlSignerMode.ItlRecovery);

        var bigger = ChangePlanner.Plan(state, Devices, [ProposedChange.Regenerate("cucm-sub01", Tvs, KeyAlgorithm.Rsa4096)]);
        var same = ChangePlanner.Plan(state, Devices, [ProposedChange.Regenerate("cucm-sub01", Tvs, KeyAlgorithm.Rsa2048)]);
        var kept = ChangePlanner.Plan(state, Devices, [ProposedChange.Regenerate("cucm-sub01", Tvs)]);

        Assert.True(before <= Limit, $"{before}");
        var warning = Assert.Single(bigger.Warnings, w => w.StartsWith("The ITL of cucm-pub would be about ", StringComparison.Ordinal));
        Assert.Contains($"over the {Limit} bytes phones load", warning, StringComparison.Ordinal);
        var device = Assert.Single(bigger.Devices);
        Assert.False(device.KeepsTrust);
        Assert.Contains("the phone fails to load it", device.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 1), (bigger.Kept, bigger.Lost));
        foreach (var plan in new[] { same, kept })
        {
            Assert.DoesNotContain(plan.Warnings, w => w.Contains("phones load", StringComparison.Ordinal));
            Assert.True(Assert.Single(plan.Devices).KeepsTrust);
        }
    }

    [Fact]
    public void Plan_RefusesABadOrTwiceGivenKey()
    {
        var state = Take(3);
        var twice = Assert.Throws<InvalidInputException>(() => ChangePlanner.Plan(state, Devices,
            [ProposedChange.Regenerate("cucm-sub01", Tvs, KeyAlgorithm.Rsa4096), ProposedChange.Regenerate("cucm-sub01", Tvs, KeyAlgorithm.Rsa3072)]));
        Assert.Equal("changes[1]: cucm-sub01/TVS is regenerated twice, with Rsa4096 and Rsa3072.", twice.Message);
    }

    [Fact]
    public void Regeneration_ThatGrowsTheItlPastTheLimit_NeedsConfirmation_AsAnyLockOut()
    {
        var state = JustUnder(Rsa4096TvsGrowth);
        var tvs = state.FindIdentity(state.FindNode("cucm-sub01")!, Tvs)!;
        CertificateChange[] change = [new("cucm-sub01", Tvs)];

        var refused = Assert.Throws<ConfirmationRequiredException>(() =>
            DeviceImpact.Check(state, change, Devices, confirm: false, Replace(tvs, new CertificateReplacement(Key: KeyAlgorithm.Rsa4096))));
        var confirmed = DeviceImpact.Check(state, change, Devices, confirm: true, Replace(tvs, new CertificateReplacement(Key: KeyAlgorithm.Rsa4096)));
        var sameKey = DeviceImpact.Check(state, change, Devices, confirm: false);

        Assert.True(refused.Report.RequiresConfirmation);
        Assert.Contains(refused.Report.Warnings, w => w.StartsWith("The ITL of cucm-pub would be about ", StringComparison.Ordinal));
        Assert.Equal((0, 1), (confirmed.Kept, confirmed.Lost));
        Assert.Contains("the phone fails to load it", Assert.Single(confirmed.Devices).Reason, StringComparison.Ordinal);
        Assert.False(sameKey.RequiresConfirmation);
        Assert.DoesNotContain(sameKey.Warnings, w => w.Contains("phones load", StringComparison.Ordinal));
        Assert.True(Assert.Single(sameKey.Devices).KeepsTrust);

        // A CA-signed upload is measured from the certificate itself.
        var upload = TestPki.SelfSigned(TestPki.Name("cucm-sub01.lab.example", ou: Tvs), 4096).RawData;
        Assert.Throws<ConfirmationRequiredException>(() =>
            DeviceImpact.Check(state, change, Devices, confirm: false, Replace(tvs, new CertificateReplacement(upload))));
    }

    [Fact]
    public void AnItlAlreadyOverTheLimit_IsWarnedOf_ButAChangeThatDoesNotCauseItNeedsNoConfirmation()
    {
        var under = JustUnder(Rsa4096TvsGrowth);
        var over = Take(under.Nodes.Count + 2);
        Assert.True(ItlContent.EstimatedBytes(over, over.Nodes[0], ItlSignerMode.ItlRecovery) > Limit);

        var report = DeviceImpact.Check(over, [new("cucm-sub01", Tvs)], Devices, confirm: false);

        Assert.False(report.RequiresConfirmation);
        Assert.Contains(report.Warnings, w => w.StartsWith("The ITL of cucm-pub would be about ", StringComparison.Ordinal));
        Assert.False(Assert.Single(report.Devices).KeepsTrust);
        var (_, bytes, text) = Assert.Single(ItlContent.Oversized(over), o => o.Node.Name == "cucm-pub");
        Assert.StartsWith($"The ITL of cucm-pub is {bytes} bytes, over the {Limit} bytes phones load", text, StringComparison.Ordinal);
        Assert.Empty(ItlContent.Oversized(under));
        Assert.Equal(over.Nodes.Count, ItlContent.TftpNodeSizes(over, ItlSignerMode.ItlRecovery).Count);
    }

    /// <summary>The first <paramref name="nodes"/> nodes of the large cluster.</summary>
    private static SecuritySnapshot Take(int nodes)
    {
        var state = LargeCluster.Value.State;
        return state with { Nodes = [.. state.Nodes.Take(nodes)] };
    }

    /// <summary>A cluster whose ITL is at most <paramref name="margin"/> bytes under the limit.</summary>
    private static SecuritySnapshot JustUnder(int margin)
    {
        var nodes = 2;
        while (Size(Take(nodes + 1)) <= Limit)
        {
            nodes++;
        }

        // The last node that fits may leave more room than the margin: TVS certificates made RSA 4096 before fill it.
        var state = Take(nodes);
        for (var i = 2; Limit - Size(state) >= margin; i++)
        {
            var node = state.Nodes[i];
            var tvs = state.FindIdentity(node, Tvs)!;
            state = WithRsa4096(state, tvs, TestPki.SelfSigned(TestPki.Name(node.Fqdn, ou: Tvs), 4096).RawData);
        }

        Assert.InRange(Size(state), Limit - margin + 1, Limit);
        return state;
    }

    private static int Size(SecuritySnapshot state) => ItlContent.EstimatedBytes(state, state.Nodes[0], ItlSignerMode.ItlRecovery);

    private static Dictionary<Guid, CertificateReplacement> Replace(IdentityCertificate identity, CertificateReplacement replacement) =>
        new() { [identity.Id] = replacement };

    private static SecuritySnapshot WithRsa4096(SecuritySnapshot state, IdentityCertificate identity, byte[] der)
    {
        var copy = new IdentityCertificate
        {
            Id = identity.Id,
            NodeId = identity.NodeId,
            Name = identity.Name,
            Der = der,
            KeyAlgorithm = KeyAlgorithm.Rsa4096,
            Sha256 = identity.Sha256,
        };
        return state with { Identities = [.. state.Identities.Select(i => i.Id == identity.Id ? copy : i)] };
    }
}
