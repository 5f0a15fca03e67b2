using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Storage;
using SbdServer.Wire.Dn;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Names;
using SbdServer.Wire.Signed;
using SbdServer.Wire.Tlv;
using SignedCertificateFacts = SbdServer.Wire.Signed.CertificateFacts;

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
    /// How many bytes the ITL <paramref name="node"/> serves in signer mode <paramref name="mode"/> is, from the
    /// certificates it would hold, without signing it: the planner's check before a change that makes the ITL too
    /// large for phones (scenario 27). Exact for the certificates in <paramref name="state"/> and for a
    /// <see cref="CertificateReplacement"/> with its certificate; for one with only a new key, the key's public key and
    /// signature sizes replace the current ones (the new certificate is self-signed with that key).
    /// </summary>
    public static int EstimatedBytes(
        SecuritySnapshot state, ClusterNode node, ItlSignerMode mode, IReadOnlyDictionary<Guid, CertificateReplacement>? replaced = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        return Estimate(state, node, mode, replaced, []);
    }

    /// <summary>The ITL size of every TFTP node (<see cref="EstimatedBytes"/>), by node name.</summary>
    public static IReadOnlyList<(ClusterNode Node, int Bytes)> TftpNodeSizes(
        SecuritySnapshot state, ItlSignerMode mode, IReadOnlyDictionary<Guid, CertificateReplacement>? replaced = null)
    {
        ArgumentNullException.ThrowIfNull(state);

        // Every TFTP node's ITL holds the same TVS and CAPF records: each certificate is measured once.
        var measured = new Dictionary<Guid, CertificateSize>();
        return [.. state.Nodes.Where(n => n.Services.HasFlag(NodeServices.Tftp)).OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => (n, Estimate(state, n, mode, replaced, measured)))];
    }

    private static int Estimate(
        SecuritySnapshot state, ClusterNode node, ItlSignerMode mode, IReadOnlyDictionary<Guid, CertificateReplacement>? replaced,
        Dictionary<Guid, CertificateSize> measured)
    {
        var certificates = Certificates(state, node, mode);
        if (certificates.Count == 0)
        {
            return 0;
        }

        foreach (var certificate in certificates.Where(c => !measured.ContainsKey(c.Id)))
        {
            measured[certificate.Id] = CertificateSize.Of(certificate, replaced?.GetValueOrDefault(certificate.Id));
        }

        // Record 1 is the signer (SAST), then the TFTP node's CallManager as TFTP, and in ITLRecovery mode as a second
        // SAST too; TVS and CAPF records carry only the certificate's hash (TrustListRecordFactory).
        var records = new List<(IdentityCertificate Certificate, TrustRole Role)> { (certificates[0], TrustRole.Sast) };
        records.AddRange(certificates.Skip(1).Select(c => (c, c.Name switch
        {
            CertificateStores.Tvs => TrustRole.Tvs,
            CertificateStores.Capf => TrustRole.Capf,
            _ => TrustRole.Tftp,
        })));
        var callManager = state.FindIdentity(node, CertificateStores.CallManager);
        if (mode == ItlSignerMode.ItlRecovery && callManager is not null)
        {
            records.Add((callManager, TrustRole.Sast));
        }

        // During a bulk ITL reset the TFTP node's CallManager signs (GeneratedFileBuilder).
        var signer = IsItlReset(state) && callManager is not null ? callManager : certificates[0];
        var header = new SignedHeaderOptions
        {
            Version = FileVersion.TrustList,
            FileName = PhoneFileName.ClusterItlName,
            Timestamp = 0,
            SignerVersion = certificates.Any(c => measured[c.Id].IsEllipticCurve) ? FileVersion.SignerWithEc : null,
        };
        return SignedFileCodec.HeaderLength(header, measured[signer.Id].Signer)
            + records.Sum(r => measured[r.Certificate.Id].RecordBytes(r.Role));
    }

    /// <summary>
    /// The TFTP nodes whose ITL is over the 64 KB phones load now (Security Guide 14), with the sentence admins see on
    /// the dashboard, in the start-up log and in the audit of a node join that caused it.
    /// </summary>
    public static IReadOnlyList<(ClusterNode Node, int Bytes, string Warning)> Oversized(SecuritySnapshot state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Cluster is null
            ? []
            : [.. TftpNodeSizes(state, state.Cluster.ItlSignerMode)
                .Where(s => s.Bytes > PhoneModel.ItlLimitBytes)
                .Select(s => (s.Node, s.Bytes,
                    $"The ITL of {s.Node.Name} is {s.Bytes} bytes, over the {PhoneModel.ItlLimitBytes} bytes phones load (Security Guide 14: " +
                    "more than 39 certificates): its phones fail to load it (\"Trust List Update Failed\") and keep the ITL they hold. " +
                    "Keep the ITL smaller: fewer TVS or CAPF nodes, or smaller keys."))];
    }

    /// <summary>What one certificate adds to an ITL, measured once per estimate.</summary>
    private sealed record CertificateSize(int FullRecord, int HashRecord, SignerIdentity Signer, bool IsEllipticCurve)
    {
        public int RecordBytes(TrustRole role) => TrustRoles.CarriesCertificate(role) ? FullRecord : HashRecord;

        public static CertificateSize Of(IdentityCertificate current, CertificateReplacement? replacement)
        {
            var (measured, publicKeyNow, signatureNow) = Measure(replacement?.Der ?? current.Der);
            if (replacement is not { Der: null, Key: { } key })
            {
                return measured;
            }

            // A regeneration with another key: the same names and serial length, the new key's public key and
            // self-signature. The full certificate grows by both as well.
            var delta = PublicKeyBytes(key) - publicKeyNow + SignatureBytesOf(key) - signatureNow;
            var signer = measured.Signer with { KeySizeBits = RsaBits(key) ?? measured.Signer.KeySizeBits };
            return new CertificateSize(measured.FullRecord + (2 * delta), measured.HashRecord + delta, signer, RsaBits(key) is null);
        }

        private static (CertificateSize Size, int PublicKey, int Signature) Measure(byte[] der)
        {
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(der);
                using var rsa = certificate.GetRSAPublicKey();
                var signer = new SignerIdentity(
                    DistinguishedNames.ToCucm(certificate.SubjectName), SignedCertificateFacts.SerialNumber(certificate),
                    DistinguishedNames.ToCucm(certificate.IssuerName), rsa?.KeySize ?? 2048);
                var size = new CertificateSize(
                    TrustListCodec.RecordLength(TrustListRecordFactory.FromCertificate(certificate, TrustRole.Tftp)),
                    TrustListCodec.RecordLength(TrustListRecordFactory.FromCertificate(certificate, TrustRole.Tvs)),
                    signer, SignedCertificateFacts.IsEllipticCurve(certificate));
                return (size, SignedCertificateFacts.PublicKey(certificate).Length, SignedCertificateFacts.SignatureValue(certificate).Length);
            }
            catch (Exception ex) when (ex is CryptographicException or WireFormatException)
            {
                // Not a certificate (only test doubles store such bytes): counted as its bytes in both kinds of record.
                return (new CertificateSize(der.Length, der.Length, new SignerIdentity("", [1], "", 2048), false), 0, 0);
            }
        }

        private static int PublicKeyBytes(KeyAlgorithm key) => key switch
        {
            // DER RSAPublicKey with exponent 65537, the uncompressed EC point.
            KeyAlgorithm.Rsa1024 => 140,
            KeyAlgorithm.Rsa2048 => 270,
            KeyAlgorithm.Rsa3072 => 398,
            KeyAlgorithm.Rsa4096 => 526,
            KeyAlgorithm.EcP256 => 65,
            KeyAlgorithm.EcP384 => 97,
            _ => 133,
        };

        private static int SignatureBytesOf(KeyAlgorithm key) => RsaBits(key) is { } bits ? bits / 8 : key switch
        {
            // The longest DER ECDSA signature of the curve.
            KeyAlgorithm.EcP256 => 72,
            KeyAlgorithm.EcP384 => 104,
            _ => 139,
        };

        private static int? RsaBits(KeyAlgorithm key) => key switch
        {
            KeyAlgorithm.Rsa1024 => 1024,
            KeyAlgorithm.Rsa2048 => 2048,
            KeyAlgorithm.Rsa3072 => 3072,
            KeyAlgorithm.Rsa4096 => 4096,
            _ => null,
        };
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
