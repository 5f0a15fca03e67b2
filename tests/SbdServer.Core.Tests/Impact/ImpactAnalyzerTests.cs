using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Impact;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Storage;
using Xunit;

namespace SbdServer.Core.Tests.Impact;

/// <summary>The seed's rules (issue 3 acceptance) evaluated by <see cref="ImpactAnalyzer"/>.</summary>
public class ImpactAnalyzerTests
{
    private const string Cm = CertificateStores.CallManager;
    private const string Tvs = CertificateStores.Tvs;

    [Fact]
    public void SingleNode_CallManagerMode_CallManagerAndTvsTogether_LocksPhones()
    {
        var state = Cluster(ItlSignerMode.CallManager, ["pub"]);

        var report = ImpactAnalyzer.Analyze(state, [new("pub", Cm), new("pub", Tvs)]);

        Assert.True(report.RequiresConfirmation);
        Assert.True(Assert.Single(report.Groups).PhonesLocked);
        Assert.Contains(report.Warnings, w => w.Contains("locked", StringComparison.Ordinal));
        Assert.Equal(["pub"], report.ItlSignerChanges);
        Assert.Equal(["pub"], report.TvsChanges);
    }

    [Theory]
    [InlineData(Cm)]
    [InlineData(Tvs)]
    [InlineData(CertificateStores.Capf)]
    public void SingleNode_CallManagerMode_OneAtATime_IsSafe(string certificate)
    {
        var state = Cluster(ItlSignerMode.CallManager, ["pub"]);

        var report = ImpactAnalyzer.Analyze(state, [new("pub", certificate)]);

        Assert.False(report.RequiresConfirmation);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void SingleNode_TvsThenCallManagerBeforePropagation_CountsAsTogether()
    {
        var state = Cluster(ItlSignerMode.CallManager, ["pub"], pending: [("pub", Tvs)]);

        var report = ImpactAnalyzer.Analyze(state, [new("pub", Cm)]);

        Assert.True(report.RequiresConfirmation);
        Assert.Equal([new CertificateChange("pub", Tvs)], report.PendingSinceLastPropagation);
    }

    [Fact]
    public void SingleNode_TvsThenCallManagerAfterPropagation_IsSafe()
    {
        // Pending changes are cleared by propagation: the snapshot then has none.
        var state = Cluster(ItlSignerMode.CallManager, ["pub"]);

        Assert.False(ImpactAnalyzer.Analyze(state, [new("pub", Cm)]).RequiresConfirmation);
    }

    [Fact]
    public void TwoNodes_PhonesInGroupOfBoth_BothCertificatesOfOneNode_IsSafe()
    {
        var state = Cluster(ItlSignerMode.CallManager, ["pub", "sub1"], groups: [("G1", ["pub", "sub1"])]);

        var report = ImpactAnalyzer.Analyze(state, [new("pub", Cm), new("pub", Tvs)]);

        Assert.False(report.RequiresConfirmation);
        var group = Assert.Single(report.Groups);
        Assert.True(group.SignerChanges);
        Assert.Equal(["sub1"], group.TrustedTvsNodes);
    }

    [Fact]
    public void TwoNodes_GroupOfPublisherOnly_BothCertificatesOfPublisher_LocksThatGroup()
    {
        var state = Cluster(
            ItlSignerMode.CallManager, ["pub", "sub1"], groups: [("OnlyPub", ["pub"]), ("Both", ["sub1", "pub"])]);

        var report = ImpactAnalyzer.Analyze(state, [new("pub", Cm), new("pub", Tvs)]);

        Assert.True(report.RequiresConfirmation);
        Assert.True(report.Groups.Single(g => g.Group == "OnlyPub").PhonesLocked);
        Assert.False(report.Groups.Single(g => g.Group == "Both").PhonesLocked);
    }

    [Fact]
    public void ItlRecoveryMode_CallManagerAndTvsTogether_IsSafe()
    {
        var state = Cluster(ItlSignerMode.ItlRecovery, ["pub"]);

        var report = ImpactAnalyzer.Analyze(state, [new("pub", Cm), new("pub", Tvs)]);

        Assert.False(report.RequiresConfirmation);
        Assert.Empty(report.ItlSignerChanges);
        Assert.Equal("ITLRecovery", Assert.Single(report.Groups).ItlSigner);
    }

    [Fact]
    public void ItlRecoveryMode_ItlRecoveryAndTvsTogether_LocksPhones()
    {
        var state = Cluster(ItlSignerMode.ItlRecovery, ["pub"]);

        var report = ImpactAnalyzer.Analyze(state, [new("pub", CertificateStores.ItlRecovery), new("pub", Tvs)]);

        Assert.True(report.RequiresConfirmation);
        Assert.Equal(["ITLRecovery"], report.ItlSignerChanges);
    }

    [Fact]
    public void CallManagerMode_SubscriberWithoutTftp_CallManagerChangeIsNotAnItlSignerChange()
    {
        var state = Cluster(ItlSignerMode.CallManager, ["pub", "sub1"], groups: [("G1", ["sub1"])], tftpOnPublisherOnly: true);

        var report = ImpactAnalyzer.Analyze(state, [new("sub1", Cm), new("sub1", Tvs)]);

        // Phones load the ITL from the publisher's TFTP, so its signer did not change; the publisher's TVS (the TFTP
        // node, their last resort) still vouches as well.
        Assert.False(report.RequiresConfirmation);
        Assert.Empty(report.ItlSignerChanges);
    }

    private static SecuritySnapshot Cluster(
        ItlSignerMode mode,
        string[] nodeNames,
        (string Name, string[] Nodes)[]? groups = null,
        (string Node, string Certificate)[]? pending = null,
        bool tftpOnPublisherOnly = false)
    {
        var nodes = nodeNames.Select((name, i) => new ClusterNode
        {
            Id = Guid.NewGuid(),
            Name = name,
            Fqdn = name + ".lab.example",
            IpAddress = $"10.0.0.{i + 1}",
            IsPublisher = i == 0,
            Services = (tftpOnPublisherOnly && i > 0 ? NodeServices.None : NodeServices.Tftp) | NodeServices.Tvs,
        }).ToList();
        var cluster = new ClusterSettings { Name = "c", ItlSignerMode = mode, PasswordVerifier = [1] };
        return new SecuritySnapshot(
            cluster,
            nodes,
            [.. (groups ?? []).Select(g => new CallManagerGroup { Id = Guid.NewGuid(), Name = g.Name, NodeNames = [.. g.Nodes] })],
            [],
            [],
            new List<EnterpriseParameter>(),
            [.. (pending ?? []).Select(p => new PendingItlChange
            {
                Id = Guid.NewGuid(),
                NodeId = nodes.Single(n => n.Name == p.Node).Id,
                CertificateName = p.Certificate,
            })]);
    }
}
