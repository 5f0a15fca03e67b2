using System.Security.Cryptography;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Impact;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Tests.Impact;

/// <summary>
/// A cluster state shaped like the bootstrapper's (publisher with TFTP, TVS and CAPF and the cluster ITLRecovery;
/// subscribers with TFTP and TVS; every node with its five identity certificates) plus devices.
/// </summary>
internal sealed class PlannerState
{
    private readonly List<ClusterNode> _nodes = [];
    private readonly List<IdentityCertificate> _identities = [];
    private readonly List<CallManagerGroup> _groups = [];
    private readonly List<PendingItlChange> _pending = [];
    private readonly List<EnterpriseParameter> _parameters = [];
    private readonly List<PlannedDevice> _devices = [];
    private readonly ClusterSettings _cluster;
    private List<CtlCertificate> _ctl = [];

    public PlannerState(ItlSignerMode mode, params string[] nodeNames)
    {
        _cluster = new ClusterSettings { Name = "c", ItlSignerMode = mode, PasswordVerifier = [1] };
        for (var i = 0; i < nodeNames.Length; i++)
        {
            var node = new ClusterNode
            {
                Id = Guid.NewGuid(),
                Name = nodeNames[i],
                Fqdn = nodeNames[i] + ".lab.example",
                IpAddress = $"10.0.0.{i + 10}",
                IsPublisher = i == 0,
                Services = i == 0 ? NodeServices.Tftp | NodeServices.Tvs | NodeServices.Capf : NodeServices.Tftp | NodeServices.Tvs,
            };
            _nodes.Add(node);
            foreach (var name in CertificateStores.NodeIdentities)
            {
                _identities.Add(Identity(node, name));
            }

            if (i == 0)
            {
                _identities.Add(Identity(node, CertificateStores.ItlRecovery));
            }
        }

        _groups.Add(new CallManagerGroup { Id = Guid.NewGuid(), Name = "Default", NodeNames = [.. nodeNames.Take(CallManagerGroup.MaxNodes)] });
    }

    public PlannerState Group(string name, params string[] nodes) => TftpGroup(name, null, nodes);

    public PlannerState TftpGroup(string name, string? tftpNode, params string[] nodes)
    {
        _groups.Add(new CallManagerGroup { Id = Guid.NewGuid(), Name = name, NodeNames = [.. nodes], TftpNodeName = tftpNode });
        return this;
    }

    public PlannerState Pending(string node, string certificate)
    {
        _pending.Add(new PendingItlChange { Id = Guid.NewGuid(), NodeId = _nodes.Single(n => n.Name == node).Id, CertificateName = certificate });
        return this;
    }

    public PlannerState ItlReset()
    {
        _cluster.ItlResetSince = DateTimeOffset.UnixEpoch;
        return this;
    }

    public PlannerState Parameter(string name, string value)
    {
        _parameters.Add(new EnterpriseParameter { Name = name, Value = value });
        return this;
    }

    public PlannerState Device(
        string mac, string group = "Default", string model = "8861", TrustFileState itl = TrustFileState.InSync,
        DeviceSecurityMode security = DeviceSecurityMode.NonSecure)
    {
        _devices.Add(new PlannedDevice(
            new Device { Id = Guid.NewGuid(), Name = "SEP" + mac, Model = model, CallManagerGroup = group, SecurityMode = security }, itl));
        return this;
    }

    /// <summary>Mixed mode, with the CTL written from the certificates as they are now (set-cluster mixed-mode).</summary>
    public PlannerState Mixed()
    {
        _cluster.SecurityMode = SecurityMode.Mixed;
        _ctl = SbdServer.Core.Provisioning.CtlContent.Capture(Snapshot(), DateTimeOffset.UnixEpoch);
        return this;
    }

    /// <summary>Replaces <paramref name="node"/>'s <paramref name="name"/> certificate, as a committed regeneration does.</summary>
    public PlannerState Regenerated(string node, string name)
    {
        var owner = _nodes.Single(n => n.Name == node);
        var old = _identities.Single(i => i.Name == name && (name == CertificateStores.ItlRecovery || i.NodeId == owner.Id));
        _identities[_identities.IndexOf(old)] = Identity(_nodes.Single(n => n.Id == old.NodeId), name);
        return this;
    }

    public IReadOnlyList<PlannedDevice> Devices => _devices;

    public SecuritySnapshot Snapshot() => new(_cluster, _nodes, _groups, _identities, [], _parameters, _pending) { CtlCertificates = _ctl };

    public ChangePlan Plan(params ProposedChange[] changes) => ChangePlanner.Plan(Snapshot(), _devices, changes);

    private static IdentityCertificate Identity(ClusterNode node, string name) => new()
    {
        Id = Guid.NewGuid(),
        NodeId = node.Id,
        Name = name,
        Der = RandomNumberGenerator.GetBytes(16),
        ProtectedKey = RandomNumberGenerator.GetBytes(16),
        Sha256 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
    };
}
