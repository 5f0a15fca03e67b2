using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Names;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;

namespace SbdServer.Core.Provisioning;

/// <summary>
/// Builds one generated file from the provisioning inputs as a given TFTP node would (issue 4 item 2). Deterministic
/// for equal inputs except the header timestamp (and the random key of an encrypted config).
/// </summary>
public sealed class GeneratedFileBuilder(IKeyProtector keys, IPhoneFileCrypto crypto, IProvisioningLog log) : IDisposable
{
    private readonly SignerPool _signers = new(keys, crypto);

    /// <summary>ITL size above which older phones are known to fail loading it.</summary>
    public const int ItlWarningBytes = 64 * 1024;

    /// <summary>The bytes of <paramref name="file"/> built by <paramref name="node"/>, or null for "file not found".</summary>
    public byte[]? Build(PhoneFileName file, ProvisioningInputs inputs, ClusterNode node, uint timestamp)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(node);
        var device = file.DeviceName is { } name ? inputs.FindDevice(name) : null;
        if (file.DeviceName is not null && device is null)
        {
            // Per-device names of unknown devices: the catalogue falls back (ITLSEP -> ITLFile.tlv) or answers not found.
            return null;
        }

        return file.Kind switch
        {
            PhoneFileKind.Itl => BuildItl(inputs, node, timestamp),
            PhoneFileKind.Ctl => BuildCtl(inputs, node, timestamp),
            PhoneFileKind.Config => BuildConfig(inputs, device!, node, timestamp, PhoneFileKind.Config),
            PhoneFileKind.SignedConfig => BuildConfig(inputs, device!, node, timestamp, PhoneFileKind.SignedConfig),
            PhoneFileKind.EncryptedConfig => BuildConfig(inputs, device!, node, timestamp, PhoneFileKind.EncryptedConfig),
            PhoneFileKind.DefaultConfig or PhoneFileKind.SignedDefaultConfig => BuildDefault(inputs, node, timestamp, file.Kind),
            _ => null,
        };
    }

    /// <summary><paramref name="content"/> (a static TFTP file) signed as <paramref name="signedName"/>.</summary>
    public byte[]? SignStatic(byte[] content, string signedName, ProvisioningInputs inputs, ClusterNode node, uint timestamp)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(node);
        var signer = FileSigner(inputs, node);
        if (signer is null)
        {
            log.BuildFailed(signedName, $"node {node.Name} has no CallManager certificate");
            return null;
        }

        var digest = Digest(inputs);
        return Sign(signer, s => SgnCodec.Build(content, signedName, digest, timestamp, s));
    }

    /// <summary>The digest the "TFTP File Signature Algorithm" parameter asks for.</summary>
    public static HashAlgorithmCode Digest(ProvisioningInputs inputs) =>
        string.Equals(inputs.State.ParameterValue(EnterpriseParameterCatalog.TftpFileSignatureAlgorithm), "SHA-512", StringComparison.OrdinalIgnoreCase)
            ? HashAlgorithmCode.Sha512
            : HashAlgorithmCode.Sha1;

    /// <summary>The identity that signs the trust lists (ITL, CTL) <paramref name="node"/> serves.</summary>
    public static IdentityCertificate? Signer(ProvisioningInputs inputs, ClusterNode node) =>
        inputs.State.Cluster?.ItlSignerMode == ItlSignerMode.ItlRecovery
            ? inputs.State.FindIdentity(node, CertificateStores.ItlRecovery)
            : inputs.State.FindIdentity(node, CertificateStores.CallManager);

    /// <summary>
    /// The identity that signs every other signed file <paramref name="node"/> serves (configs, encrypted configs and
    /// their stubs, XMLDefault, static files): its CallManager in both signer modes. Only the trust lists moved to
    /// ITLRecovery in CUCM 12 (cucm-reference fact 8); phones verify these files against the TFTP record of their ITL,
    /// which is why CallManager and TVS regenerated together are survived in ITLRecovery mode.
    /// </summary>
    public static IdentityCertificate? FileSigner(ProvisioningInputs inputs, ClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.State.FindIdentity(node, CertificateStores.CallManager);
    }

    private byte[]? BuildItl(ProvisioningInputs inputs, ClusterNode node, uint timestamp)
    {
        var state = inputs.State;
        var itlSigner = Signer(inputs, node);
        var callManager = state.FindIdentity(node, CertificateStores.CallManager);
        if (itlSigner is null || callManager is null)
        {
            log.BuildFailed(PhoneFileName.ClusterItlName, $"node {node.Name} has no signer or CallManager certificate");
            return null;
        }

        var mixed = state.Cluster?.SecurityMode == SecurityMode.Mixed;
        var records = new List<TrustListRecord> { Record(itlSigner.Der, TrustRole.Sast) };
        if (itlSigner.Id != callManager.Id)
        {
            // 12.x layout (cucm-reference 1.4): the TFTP node's CallManager is a SAST too, next to the ITLRecovery.
            // That second SAST is what "utils itl reset localkey" relies on: phones verify the CallManager-signed
            // reset ITL with it.
            records.Add(Record(callManager.Der, TrustRole.Sast));
        }

        records.Add(Record(callManager.Der, mixed ? TrustRole.CcmTftp : TrustRole.Tftp));

        // Bulk ITL reset (12.x): the same records, signed by the TFTP node's CallManager; phones learn the current
        // ITLRecovery from it, so the ITLRecovery-signed ITL served once the reset ends verifies without TVS.
        var signer = ItlContent.IsItlReset(state) ? callManager : itlSigner;
        foreach (var tvsNode in state.Nodes.Where(n => n.Services.HasFlag(NodeServices.Tvs)))
        {
            if (state.FindIdentity(tvsNode, CertificateStores.Tvs) is { } tvs)
            {
                records.Add(Record(tvs.Der, TrustRole.Tvs));
            }
        }

        foreach (var capfNode in state.Nodes.Where(n => n.Services.HasFlag(NodeServices.Capf)))
        {
            if (state.FindIdentity(capfNode, CertificateStores.Capf) is { } capf)
            {
                records.Add(Record(capf.Der, TrustRole.Capf));
            }
        }

        var rollback = bool.TryParse(state.ParameterValue(EnterpriseParameterCatalog.PrepareClusterForRollbackToPre80), out var r) && r;
        var options = new TrustListBuildOptions
        {
            FileName = PhoneFileName.ClusterItlName,
            HashAlgorithm = Digest(inputs),
            Timestamp = timestamp,
            Blank = rollback,
        };
        var bytes = Sign(signer, s => TrustListCodec.Build(options, records, s));
        if (bytes.Length > ItlWarningBytes)
        {
            log.ItlOversized(PhoneFileName.ClusterItlName, bytes.Length, ItlWarningBytes);
        }

        return bytes;
    }

    private byte[]? BuildCtl(ProvisioningInputs inputs, ClusterNode node, uint timestamp)
    {
        var state = inputs.State;
        if (state.Cluster?.SecurityMode != SecurityMode.Mixed)
        {
            return null; // CUCM answers "file not found" for CTL names in a non-secure cluster
        }

        if (state.CtlCertificates.Count > 0)
        {
            return BuildCapturedCtl(inputs, node);
        }

        // No captured set: a cluster put in mixed mode before the CTL was stored. Its CTL follows the current
        // certificates until the first CTL update captures them.
        var signer = Signer(inputs, node);
        if (signer is null)
        {
            log.BuildFailed(PhoneFileName.ClusterCtlName, $"node {node.Name} has no signer certificate");
            return null;
        }

        // Tokenless CTL: the signer as SAST, every node's CallManager as CCM+TFTP, the CAPF; CTL records carry the
        // certificate and the node's address.
        var records = new List<TrustListRecord> { Record(signer.Der, TrustRole.Sast, full: true) };
        foreach (var ccmNode in state.Nodes)
        {
            if (state.FindIdentity(ccmNode, CertificateStores.CallManager) is { } ccm)
            {
                records.Add(Record(ccm.Der, TrustRole.CcmTftp, full: true, ip: Address(ccmNode)));
            }
        }

        foreach (var capfNode in state.Nodes.Where(n => n.Services.HasFlag(NodeServices.Capf)))
        {
            if (state.FindIdentity(capfNode, CertificateStores.Capf) is { } capf)
            {
                records.Add(Record(capf.Der, TrustRole.Capf, full: true, ip: Address(capfNode)));
            }
        }

        return Sign(signer, s => TrustListCodec.Build(CtlOptions(inputs, timestamp), records, s));
    }

    /// <summary>
    /// The CTL as captured at mixed-mode enable or the last CTL update (<see cref="CtlContent"/>): its records, signed
    /// by the captured signer's key, stamped with the capture time, so the file is the same until the next update
    /// whatever was regenerated since.
    /// </summary>
    private byte[]? BuildCapturedCtl(ProvisioningInputs inputs, ClusterNode node)
    {
        var state = inputs.State;
        var captured = CtlContent.RecordsFor(state, node);
        if (captured.Count == 0)
        {
            log.BuildFailed(PhoneFileName.ClusterCtlName, $"the CTL has no signer for node {node.Name} (it joined after the CTL was written): run the CTL update");
            return null;
        }

        var signer = captured[0];
        if (signer.ProtectedKey.Length == 0)
        {
            log.BuildFailed(PhoneFileName.ClusterCtlName, $"the key of the CTL's signer {signer.Name} is not in the store (restored without it): run the CTL update");
            return null;
        }

        var records = captured.Select(c => Record(c.Der, c.Role, full: true,
            ip: c.Role == TrustRole.Sast || state.Nodes.FirstOrDefault(n => n.Id == c.NodeId) is not { } owner ? null : Address(owner))).ToList();
        // One pool entry per CTL signer, whatever the row: an update writes new rows, and a new id each time would
        // leave the old key's signers behind in the pool.
        var poolId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("ctl-signer:" + (signer.NodeId ?? Guid.Empty)))[..16]);
        var identity = new IdentityCertificate { Id = poolId, Name = signer.Name, Der = signer.Der, ProtectedKey = signer.ProtectedKey };
        var timestamp = (uint)Math.Clamp(signer.CapturedAt.ToUnixTimeSeconds(), 0, uint.MaxValue);
        return Sign(identity, s => TrustListCodec.Build(CtlOptions(inputs, timestamp), records, s));
    }

    private static TrustListBuildOptions CtlOptions(ProvisioningInputs inputs, uint timestamp) => new()
    {
        FileName = PhoneFileName.ClusterCtlName,
        HashAlgorithm = Digest(inputs),
        Timestamp = timestamp,
        IsCtl = true,
    };

    private byte[]? BuildConfig(ProvisioningInputs inputs, Device device, ClusterNode node, uint timestamp, PhoneFileKind kind)
    {
        var config = ConfigInput(inputs, device);
        if (config is null)
        {
            log.BuildFailed(device.Name + ".cnf.xml", $"CallManager group '{device.CallManagerGroup}' has no nodes");
            return null;
        }

        var encrypted = device.EncryptedConfig && device.CertificateDer is not null;
        var plainName = device.Name + ".cnf.xml";
        switch (kind)
        {
            case PhoneFileKind.Config:
                // With encryption on, the plain config would hand out what the encryption protects.
                return encrypted ? null : PhoneConfigBuilder.BuildFull(config);
            case PhoneFileKind.EncryptedConfig when !encrypted:
                return null;
        }

        var signer = FileSigner(inputs, node);
        if (signer is null)
        {
            log.BuildFailed(plainName + ".sgn", $"node {node.Name} has no CallManager certificate");
            return null;
        }

        var digest = Digest(inputs);
        var full = PhoneConfigBuilder.BuildFull(config);
        if (!encrypted)
        {
            return Sign(signer, s => SgnCodec.Build(full, plainName + ".sgn", digest, timestamp, s));
        }

        var stub = new EncryptedConfigStubOptions
        {
            CertificateHash = device.CertificateMd5 ?? "",
            IpAddressMode = 0,
            LoadInformation = config.LoadInformation,
            CapfAuthMode = config.CapfAuthMode,
            CapfServers = config.CapfNode is null ? [] : [(config.CapfNode.ProcessNodeName, PhoneConfigBuilder.CapfPort)],
        };
        var pair = Sign(signer, s => crypto.Encrypt(full, plainName, device.CertificateDer!, s, digest, timestamp, stub));
        return kind == PhoneFileKind.EncryptedConfig ? pair.EncryptedSigned : pair.StubSigned;
    }

    private byte[]? BuildDefault(ProvisioningInputs inputs, ClusterNode node, uint timestamp, PhoneFileKind kind)
    {
        var state = inputs.State;
        if (!bool.TryParse(state.ParameterValue(EnterpriseParameterCatalog.AutoRegistration), out var on) || !on)
        {
            return null;
        }

        // Auto-registered phones land in the Default device pool, i.e. the CallManager group "Default".
        var group = state.Groups.FirstOrDefault(g => string.Equals(g.Name, CallManagerGroup.DefaultName, StringComparison.OrdinalIgnoreCase))
            ?? (state.Groups.Count > 0 ? state.Groups[0] : null);
        var members = (group?.NodeNames ?? []).Select(state.FindNode).OfType<ClusterNode>().Take(CallManagerGroup.MaxNodes)
            .Select(n => new CallManagerNodeRef(n.Name, n.PhoneFacingHost)).ToList();
        if (members.Count == 0)
        {
            log.BuildFailed(PhoneFileName.DefaultConfigName, "no CallManager group with nodes");
            return null;
        }

        var capf = state.Nodes.Where(n => n.Services.HasFlag(NodeServices.Capf)).OrderByDescending(n => n.IsPublisher).FirstOrDefault();
        var xml = PhoneConfigBuilder.BuildDefault(members, capf is null ? null : new CallManagerNodeRef(capf.Name, capf.PhoneFacingHost));
        if (kind == PhoneFileKind.DefaultConfig)
        {
            return xml;
        }

        var signer = FileSigner(inputs, node);
        if (signer is null)
        {
            log.BuildFailed(PhoneFileName.SignedDefaultConfigName, $"node {node.Name} has no CallManager certificate");
            return null;
        }

        var digest = Digest(inputs);
        return Sign(signer, s => SgnCodec.Build(xml, PhoneFileName.SignedDefaultConfigName, digest, timestamp, s));
    }

    /// <summary>The config inputs of <paramref name="device"/>, or null when its group has no known node.</summary>
    public static PhoneConfigInput? ConfigInput(ProvisioningInputs inputs, Device device)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(device);
        var state = inputs.State;
        var group = state.Groups.FirstOrDefault(g => string.Equals(g.Name, device.CallManagerGroup, StringComparison.OrdinalIgnoreCase));
        var members = (group?.NodeNames ?? [])
            .Select(state.FindNode)
            .OfType<ClusterNode>()
            .Take(CallManagerGroup.MaxNodes)
            .Select(n => new CallManagerNodeRef(n.Name, n.PhoneFacingHost))
            .ToList();
        if (members.Count == 0)
        {
            return null;
        }

        var capf = state.Nodes.Where(n => n.Services.HasFlag(NodeServices.Capf)).OrderByDescending(n => n.IsPublisher).FirstOrDefault();
        return new PhoneConfigInput(
            DeviceName.Parse(device.Name),
            device.Protocol,
            group!.Name,
            group.Name,
            members,
            capf is null ? null : new CallManagerNodeRef(capf.Name, capf.PhoneFacingHost),
            device.SecurityMode,
            CapfAuthMode: 0,
            device.CertificateMd5,
            device.EncryptedConfig && device.CertificateDer is not null,
            LoadInformation: "",

            // CUCM hands the "Secured Phone URL Parameters" to phones whose security profile is not non-secure.
            SecureUrls: device.SecurityMode != DeviceSecurityMode.NonSecure);
    }

    private static TrustListRecord Record(byte[] der, TrustRole role, bool? full = null, byte[]? ip = null)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return TrustListRecordFactory.FromCertificate(certificate, role, ipAddress: ip, fullCertificate: full);
    }

    private static byte[]? Address(ClusterNode node) =>
        IPAddress.TryParse(node.IpAddress, out var address) && address.GetAddressBytes() is { Length: 4 } bytes ? bytes : null;

    private T Sign<T>(IdentityCertificate signer, Func<IFileSigner, T> build) => _signers.Sign(signer, build);

    public void Dispose() => _signers.Dispose();
}
