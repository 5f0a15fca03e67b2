using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Storage;
using SbdServer.Wire.Itl;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// What the ITL a TFTP node serves is made of (the same inputs <see cref="GeneratedFileBuilder"/> signs): the signer,
/// the node's CallManager, every TVS and CAPF certificate, the rollback flag, the digest and the security mode. Two
/// states with the same <see cref="Fingerprint"/> serve the same ITL except its timestamp.
/// </summary>
public static class ItlContent
{
    /// <summary>The identity certificates in the ITL <paramref name="node"/> serves in signer mode <paramref name="mode"/>.</summary>
    public static IReadOnlyList<IdentityCertificate> Certificates(SecuritySnapshot state, ClusterNode node, ItlSignerMode mode)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        var result = new List<IdentityCertificate>();
        if (state.FindIdentity(node, mode == ItlSignerMode.ItlRecovery ? CertificateStores.ItlRecovery : CertificateStores.CallManager) is { } signer)
        {
            result.Add(signer);
        }

        if (state.FindIdentity(node, CertificateStores.CallManager) is { } callManager)
        {
            result.Add(callManager);
        }

        foreach (var tvsNode in state.Nodes.Where(n => n.Services.HasFlag(NodeServices.Tvs)))
        {
            if (state.FindIdentity(tvsNode, CertificateStores.Tvs) is { } tvs)
            {
                result.Add(tvs);
            }
        }

        foreach (var capfNode in state.Nodes.Where(n => n.Services.HasFlag(NodeServices.Capf)))
        {
            if (state.FindIdentity(capfNode, CertificateStores.Capf) is { } capf)
            {
                result.Add(capf);
            }
        }

        return result;
    }

    /// <summary>
    /// About how many bytes the ITL <paramref name="node"/> serves in signer mode <paramref name="mode"/> is, from the
    /// certificates it would hold, without signing it: the planner's warning before a change that makes the ITL too
    /// large for phones (scenario 27). Exact for the records; the header is estimated from the signer's key size.
    /// </summary>
    public static int EstimatedBytes(SecuritySnapshot state, ClusterNode node, ItlSignerMode mode)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        var certificates = Certificates(state, node, mode);
        if (certificates.Count == 0)
        {
            return 0;
        }

        // Record 1 is the signer (SAST), then the TFTP node's CallManager as TFTP, and in ITLRecovery mode as a second
        // SAST too; TVS and CAPF records carry only the certificate's hash (TrustListRecordFactory).
        var records = new List<(byte[] Der, TrustRole Role)> { (certificates[0].Der, TrustRole.Sast) };
        records.AddRange(certificates.Skip(1).Select(c => (c.Der, c.Name switch
        {
            CertificateStores.Tvs => TrustRole.Tvs,
            CertificateStores.Capf => TrustRole.Capf,
            _ => TrustRole.Tftp,
        })));
        if (mode == ItlSignerMode.ItlRecovery && state.FindIdentity(node, CertificateStores.CallManager) is { } callManager)
        {
            records.Add((callManager.Der, TrustRole.Sast));
        }

        const int HeaderFields = 320; // tags, lengths, names, serial, file name and timestamp of a CUCM-like header
        return HeaderFields + SignatureBytes(certificates[0].Der) + records.Sum(r => 3 + RecordBytes(r.Der, r.Role));
    }

    private static int RecordBytes(byte[] der, TrustRole role)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return TrustListCodec.RecordLength(TrustListRecordFactory.FromCertificate(certificate, role));
        }
        catch (CryptographicException)
        {
            return der.Length;
        }
    }

    private static int SignatureBytes(byte[] der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            using var rsa = certificate.GetRSAPublicKey();
            return rsa is null ? 256 : rsa.KeySize / 8;
        }
        catch (CryptographicException)
        {
            return 256;
        }
    }

    /// <summary>A string that changes exactly when the ITL <paramref name="node"/> serves changes (timestamp aside).</summary>
    public static string Fingerprint(SecuritySnapshot state, ClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        var mode = state.Cluster?.ItlSignerMode ?? ItlSignerMode.ItlRecovery;
        var certificates = Certificates(state, node, mode).Select(c => $"{c.Name}:{c.Sha256}");
        return string.Join(
            "|",
            [
                $"mode={mode}",
                $"security={state.Cluster?.SecurityMode}",
                $"rollback={IsRollback(state)}",
                $"reset={IsItlReset(state)}",
                $"digest={state.ParameterValue(EnterpriseParameterCatalog.TftpFileSignatureAlgorithm)}",
                .. certificates,
            ]);
    }

    /// <summary>Fingerprints of the ITL every node would serve, by node id.</summary>
    public static IReadOnlyDictionary<Guid, string> Fingerprints(SecuritySnapshot state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Cluster is null ? new Dictionary<Guid, string>() : state.Nodes.ToDictionary(n => n.Id, n => Fingerprint(state, n));
    }

    /// <summary>
    /// The devices whose TFTP node (their group's, else the cluster's first) serves a different ITL in
    /// <paramref name="after"/> than it did when <paramref name="before"/> was taken with <see cref="Fingerprints"/>.
    /// </summary>
    public static IReadOnlyList<Device> ChangedFor(IReadOnlyDictionary<Guid, string> before, SecuritySnapshot after, IEnumerable<Device> devices)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(devices);
        var now = Fingerprints(after);
        var groups = after.EffectiveGroups();
        var result = new List<Device>();

        // Whether a device's ITL changes follows from its group alone; decided once per group name as written.
        var changedByGroup = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var device in devices.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (!changedByGroup.TryGetValue(device.CallManagerGroup, out var changed))
            {
                var group = groups.FirstOrDefault(g => string.Equals(g.Name, device.CallManagerGroup, StringComparison.OrdinalIgnoreCase));
                var tftp = group is null ? null : after.TftpNodeOf(group);
                changed = changedByGroup[device.CallManagerGroup] =
                    tftp is not null && before.TryGetValue(tftp.Id, out var was) && now.GetValueOrDefault(tftp.Id) != was;
            }

            if (changed)
            {
                result.Add(device);
            }
        }

        return result;
    }

    /// <summary>True when "Prepare Cluster for Rollback to pre 8.0" is on: the ITL is the signed blank variant.</summary>
    public static bool IsRollback(SecuritySnapshot state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return bool.TryParse(state.ParameterValue(EnterpriseParameterCatalog.PrepareClusterForRollbackToPre80), out var on) && on;
    }

    /// <summary>
    /// True while a bulk ITL reset is in force: ITLs are signed by the TFTP node's CallManager. Only the ITLRecovery
    /// signer mode has one (in CallManager mode the ITL is signed by CallManager anyway).
    /// </summary>
    public static bool IsItlReset(SecuritySnapshot state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Cluster is { ItlResetSince: not null, ItlSignerMode: ItlSignerMode.ItlRecovery };
    }
}
