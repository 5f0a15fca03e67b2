using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Nodes;
using SbdServer.Core.Storage;
using SbdServer.Wire.Itl;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// What the tokenless CTL holds and whether the captured set still matches the cluster. CUCM writes the CTL when
/// mixed mode is enabled and again only on <c>utils ctl update CTLFile</c>; a CallManager, CAPF or ITLRecovery
/// certificate regenerated in between stays listed with its old certificate (cucm-reference 1.5, scenario 20).
/// </summary>
public static class CtlContent
{
    /// <summary>
    /// The records of a CTL captured from <paramref name="state"/> now: the signer as SAST (ITLRecovery, or in
    /// CallManager signer mode every node's CallManager, each signing the CTL its node serves), every node's
    /// CallManager as CCM+TFTP, every CAPF node's CAPF.
    /// </summary>
    public static List<CtlCertificate> Capture(SecuritySnapshot state, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        var records = new List<CtlCertificate>();
        void Add(IdentityCertificate identity, TrustRole role, bool withKey)
        {
            var record = new CtlCertificate
            {
                Id = Guid.CreateVersion7(),
                Position = records.Count,
                NodeId = identity.Name == CertificateStores.ItlRecovery ? null : identity.NodeId,
                Name = identity.Name,
                Role = role,
                ProtectedKey = withKey ? [.. identity.ProtectedKey] : [],
                CapturedAt = at,
            };
            record.CopyCertificate(identity);
            records.Add(record);
        }

        if (state.Cluster?.ItlSignerMode == ItlSignerMode.ItlRecovery)
        {
            if (state.Identities.FirstOrDefault(i => i.Name == CertificateStores.ItlRecovery) is { } recovery)
            {
                Add(recovery, TrustRole.Sast, withKey: true);
            }
        }
        else
        {
            foreach (var node in state.Nodes)
            {
                if (state.FindIdentity(node, CertificateStores.CallManager) is { } signer)
                {
                    Add(signer, TrustRole.Sast, withKey: true);
                }
            }
        }

        foreach (var node in state.Nodes)
        {
            if (state.FindIdentity(node, CertificateStores.CallManager) is { } callManager)
            {
                Add(callManager, TrustRole.CcmTftp, withKey: false);
            }
        }

        foreach (var node in state.Nodes.Where(n => n.Services.HasFlag(NodeServices.Capf)))
        {
            if (state.FindIdentity(node, CertificateStores.Capf) is { } capf)
            {
                Add(capf, TrustRole.Capf, withKey: false);
            }
        }

        return records;
    }

    /// <summary>The captured records <paramref name="node"/>'s CTL is built from: its own signer, then the shared records.</summary>
    public static IReadOnlyList<CtlCertificate> RecordsFor(SecuritySnapshot state, ClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        var ordered = state.CtlCertificates.OrderBy(c => c.Position).ToList();
        var signer = ordered.FirstOrDefault(c => c.Role == TrustRole.Sast && (c.NodeId is null || c.NodeId == node.Id));
        return signer is null ? [] : [signer, .. ordered.Where(c => c.Role != TrustRole.Sast)];
    }

    /// <summary>
    /// How the captured CTL differs from one captured now, in the admin's words; empty when it is current, when the
    /// cluster is not in mixed mode, or when no set was captured (a CTL built from the current certificates).
    /// </summary>
    public static IReadOnlyList<string> Differences(SecuritySnapshot state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Cluster?.SecurityMode != SecurityMode.Mixed || state.CtlCertificates.Count == 0)
        {
            return [];
        }

        var captured = state.CtlCertificates.ToDictionary(Key);
        var current = Capture(state, DateTimeOffset.UnixEpoch).ToDictionary(Key);
        var result = new List<string>();
        foreach (var (key, now) in current)
        {
            if (!captured.TryGetValue(key, out var then))
            {
                result.Add($"{Label(state, now)} ({RoleText(now.Role)}) is not in the CTL: it was added after the CTL was written");
            }
            else if (!string.Equals(then.Sha256, now.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                result.Add($"{Label(state, now)} ({RoleText(now.Role)}) was regenerated after the CTL was written: the CTL still lists the old " +
                    $"certificate (SHA-256 {Short(then.Sha256)}, now {Short(now.Sha256)})");
            }
        }

        foreach (var (key, then) in captured)
        {
            if (!current.ContainsKey(key))
            {
                result.Add($"the CTL lists {Label(state, then)} ({RoleText(then.Role)}), which the cluster no longer has in that role");
            }
        }

        return result;
    }

    /// <summary>The admin's cue, as CUCM's documentation gives it, when <see cref="Differences"/> is not empty.</summary>
    public const string UpdateAdvice =
        "Run the CTL update (POST /api/ctl/update, sbd ctl update: utils ctl update CTLFile) and reset the phones; until then phones " +
        "with an authenticated or encrypted security profile fail their TLS registration with a CallManager the CTL does not list.";

    private static (TrustRole Role, Guid? Node, string Name) Key(CtlCertificate c) => (c.Role, c.NodeId, c.Name);

    private static string Label(SecuritySnapshot state, CtlCertificate record) =>
        record.NodeId is { } id && state.Nodes.FirstOrDefault(n => n.Id == id) is { } node ? $"{record.Name} of {node.Name}" : record.Name;

    private static string RoleText(TrustRole role) => role switch
    {
        TrustRole.Sast => "SAST",
        TrustRole.CcmTftp => "CCM+TFTP",
        TrustRole.Capf => "CAPF",
        _ => role.ToString(),
    };

    private static string Short(string sha256) => sha256.Length > 16 ? sha256[..16].ToLowerInvariant() : sha256.ToLowerInvariant();
}
