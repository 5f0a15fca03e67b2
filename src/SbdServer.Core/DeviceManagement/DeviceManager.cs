using SbdServer.Core.Audit;
using SbdServer.Core.Certificates;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Nodes;
using SbdServer.Core.Storage;

namespace SbdServer.Core.DeviceManagement;

/// <summary>
/// Device use cases: create, change, delete, upload the phone certificate, ask for a reset. Every change is one unit of
/// work (<see cref="SecurityUnitOfWork"/>) with its audit entry and a <see cref="CertificateStoreChangeKind.DeviceChanged"/>
/// event, committed under the device's row version: an edit read before another administrator's or node's change is
/// refused with <see cref="WriteConflictException"/>, never written over it. A caller that says which version it
/// showed (<c>version</c>: the API's <c>If-Match</c>, the edit form's hidden field) is refused with
/// <see cref="VersionMismatchException"/> when the device has moved on since.
/// </summary>
public sealed partial class DeviceManager(
    SecurityUnitOfWork unit,
    IDeviceStore devices,
    ICertificateCodec codec,
    ICertificateInspector inspector,
    CertificateStoreEventHub events,
    TimeProvider time)
{
    /// <summary>Largest certificate upload; a phone LSC or MIC is 1-2 KB, a PEM with its chain a few KB.</summary>
    public const int MaxCertificateBytes = 64 * 1024;


    /// <summary>Writes a phone makes about itself are retried on a fresh read rather than refused.</summary>
    private const int PhoneWriteAttempts = 3;

    public async Task<IReadOnlyList<DeviceView>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await devices.ListAsync(cancellationToken)).OrderBy(d => d.Name, StringComparer.Ordinal).Select(DeviceView.Of)];

    public async Task<DeviceView> GetAsync(string name, CancellationToken cancellationToken) =>
        DeviceView.Of(await RequireAsync(name, cancellationToken));

    public async Task<DeviceResetView> GetResetAsync(string name, CancellationToken cancellationToken)
    {
        var device = await RequireAsync(name, cancellationToken);
        return new DeviceResetView(device.Name, device.ResetRequestedAt is not null, device.ResetRequestedAt);
    }

    public async Task<DeviceView> CreateAsync(DeviceSpec spec, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = DeviceFields.ParseName(spec.Name);
        var model = DeviceFields.ParseModel(spec.Model ?? throw new InvalidInputException("Field 'model' is required."));
        var device = new Device
        {
            Id = Guid.CreateVersion7(),
            Name = name.Value,
            Model = model.Name,
            Protocol = spec.Protocol is null ? DeviceProtocol.Sip : DeviceFields.ParseProtocol(spec.Protocol),
            Description = DeviceFields.CheckDescription(spec.Description ?? ""),
            CallManagerGroup = spec.CallManagerGroup ?? CallManagerGroup.DefaultName,
            SecurityMode = spec.SecurityProfile is null ? DeviceSecurityMode.NonSecure : DeviceFields.ParseSecurityProfile(spec.SecurityProfile),
            EncryptedConfig = spec.EncryptedConfig ?? false,
            UpdatedAt = time.GetUtcNow(),
        };

        return DeviceView.Of(await unit.WriteAsync(WriteScope.Rows, async (changes, _) =>
        {
            var state = await unit.LoadAsync(cancellationToken);
            device.CallManagerGroup = RequireGroup(state, device.CallManagerGroup);
            if (await devices.FindAsync(device.Name, cancellationToken) is not null)
            {
                throw new InvalidInputException($"Device {device.Name} already exists; use PUT /api/devices/{device.Name} to change it.");
            }

            changes.Added.Add(device);
            changes.Audit.Add(Audit(actor, "device.create", device.Name, Describe(device)));
            changes.Changes.Add(Change(device.Name));
            return device;
        }, cancellationToken));
    }

    public Task<DeviceView> UpdateAsync(string name, DeviceSpec spec, string actor, CancellationToken cancellationToken) =>
        UpdateAsync(name, spec, actor, null, cancellationToken);

    /// <param name="version">The <see cref="DeviceView.Version"/> the change was made on, or null.</param>
    public async Task<DeviceView> UpdateAsync(
        string name, DeviceSpec spec, string actor, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var target = DeviceFields.ParseName(name);
        if (spec.Name is not null && DeviceFields.ParseName(spec.Name) != target)
        {
            throw new InvalidInputException($"Field 'name' ({DeviceFields.ParseName(spec.Name)}) differs from the device in the URL ({target}); a device cannot be renamed.");
        }

        var model = spec.Model is null ? null : DeviceFields.ParseModel(spec.Model);
        var protocol = spec.Protocol is null ? (DeviceProtocol?)null : DeviceFields.ParseProtocol(spec.Protocol);
        var description = spec.Description is null ? null : DeviceFields.CheckDescription(spec.Description);
        var security = spec.SecurityProfile is null ? (DeviceSecurityMode?)null : DeviceFields.ParseSecurityProfile(spec.SecurityProfile);

        return DeviceView.Of(await unit.WriteAsync(WriteScope.Rows, async (changes, _) =>
        {
            var device = await RequireAsync(target.Value, version, cancellationToken);
            var before = Describe(device);
            if (spec.CallManagerGroup is not null)
            {
                device.CallManagerGroup = RequireGroup(await unit.LoadAsync(cancellationToken), spec.CallManagerGroup);
            }

            device.Model = model?.Name ?? device.Model;
            device.Protocol = protocol ?? device.Protocol;
            device.Description = description ?? device.Description;
            device.SecurityMode = security ?? device.SecurityMode;
            device.EncryptedConfig = spec.EncryptedConfig ?? device.EncryptedConfig;
            var after = Describe(device);
            if (after == before)
            {
                return device;
            }

            device.UpdatedAt = time.GetUtcNow();
            changes.Updated.Add(device);
            changes.Audit.Add(Audit(actor, "device.update", device.Name, $"{before} -> {after}"));
            changes.Changes.Add(Change(device.Name));
            return device;
        }, cancellationToken));
    }

    public Task DeleteAsync(string name, string actor, CancellationToken cancellationToken) =>
        DeleteAsync(name, actor, null, cancellationToken);

    /// <param name="version">The <see cref="DeviceView.Version"/> the deletion was asked on, or null.</param>
    public async Task DeleteAsync(string name, string actor, string? version, CancellationToken cancellationToken)
    {
        var target = DeviceFields.ParseName(name);
        await unit.WriteAsync(WriteScope.Rows, async (changes, _) =>
        {
            var device = await RequireAsync(target.Value, version, cancellationToken);
            changes.Removed.Add(device);
            changes.Audit.Add(Audit(actor, "device.delete", device.Name, Describe(device)));
            changes.Changes.Add(Change(device.Name));
            return device;
        }, cancellationToken);
    }

    /// <summary>Stores the phone's LSC or MIC (one PEM or DER certificate) used to wrap its encrypted config.</summary>
    public Task<DeviceView> SetCertificateAsync(string name, byte[] body, string actor, CancellationToken cancellationToken) =>
        SetCertificateAsync(name, body, actor, null, cancellationToken);

    /// <param name="version">The <see cref="DeviceView.Version"/> the upload was made on, or null.</param>
    public async Task<DeviceView> SetCertificateAsync(
        string name, byte[] body, string actor, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var target = DeviceFields.ParseName(name);
        if (body.Length == 0)
        {
            throw new InvalidInputException("The body is empty; send the phone certificate as PEM or DER.");
        }

        if (body.Length > MaxCertificateBytes)
        {
            throw new InvalidInputException($"The certificate upload is {body.Length} bytes; the limit is {MaxCertificateBytes}.");
        }

        var ders = codec.ReadCertificates(body);
        if (ders.Count != 1)
        {
            throw new InvalidInputException($"The upload holds {ders.Count} certificates; send only the phone's own certificate.");
        }

        var der = ders[0];
        var facts = inspector.Inspect(der);
        if (!string.Equals(facts.PublicKeyAlgorithm, "RSA", StringComparison.Ordinal))
        {
            // The config key is wrapped with RSA (formats.md section 5): an EC certificate cannot receive it.
            throw new InvalidInputException($"The phone certificate has a {facts.PublicKeyAlgorithm} key; encrypted configs need an RSA key.");
        }

        return DeviceView.Of(await unit.WriteAsync(WriteScope.Rows, async (changes, _) =>
        {
            var device = await RequireAsync(target.Value, version, cancellationToken);
            if (device.CertificateSha256 == facts.Sha256)
            {
                return device;
            }

            device.CertificateDer = der;
            device.CertificateMd5 = facts.Md5;
            device.CertificateSha256 = facts.Sha256;
            device.CertificateSubject = facts.Subject;
            device.UpdatedAt = time.GetUtcNow();
            changes.Updated.Add(device);
            changes.Audit.Add(Audit(actor, "device.certificate", device.Name, $"{facts.Subject} sha256={facts.Sha256}"));
            changes.Changes.Add(Change(device.Name, facts.Sha256));
            return device;
        }, cancellationToken));
    }

    /// <summary>Marks the device for reset; the phone sees it on <c>GET /api/devices/{name}/reset</c>.</summary>
    public async Task<DeviceResetView> RequestResetAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var target = DeviceFields.ParseName(name);
        var device = await unit.WriteAsync(WriteScope.Rows, PhoneWriteAttempts, async (changes, _) =>
        {
            var device = await RequireAsync(target.Value, cancellationToken);
            device.ResetRequestedAt = time.GetUtcNow();
            device.UpdatedAt = device.ResetRequestedAt.Value;
            changes.Updated.Add(device);
            changes.Audit.Add(Audit(actor, "device.reset", device.Name, ""));
            changes.Changes.Add(Change(device.Name));
            return device;
        }, cancellationToken);
        return new DeviceResetView(device.Name, true, device.ResetRequestedAt);
    }

    /// <summary>The phone has reset: clears the pending reset.</summary>
    public async Task<DeviceResetView> AcknowledgeResetAsync(string name, string actor, CancellationToken cancellationToken)
    {
        var target = DeviceFields.ParseName(name);
        var device = await unit.WriteAsync(WriteScope.Rows, PhoneWriteAttempts, async (changes, _) =>
        {
            var device = await RequireAsync(target.Value, cancellationToken);
            if (device.ResetRequestedAt is null)
            {
                return device;
            }

            device.ResetRequestedAt = null;
            device.UpdatedAt = time.GetUtcNow();
            changes.Updated.Add(device);
            changes.Audit.Add(Audit(actor, "device.reset-done", device.Name, ""));
            changes.Changes.Add(Change(device.Name));
            return device;
        }, cancellationToken);
        return new DeviceResetView(device.Name, false, null);
    }

    private static string RequireGroup(SecuritySnapshot state, string group)
    {
        var found = state.Groups.FirstOrDefault(g => string.Equals(g.Name, group.Trim(), StringComparison.OrdinalIgnoreCase));
        return found?.Name ?? throw new InvalidInputException(
            $"Field 'callManagerGroup': no CallManager group '{(group.Length <= 64 ? group : group[..64] + "...")}'; " +
            $"groups: {string.Join(", ", state.Groups.Select(g => g.Name))}.");
    }

    private static string Describe(Device d) =>
        $"model={d.Model} protocol={DeviceFields.ProtocolText(d.Protocol)} group={d.CallManagerGroup} " +
        $"profile={d.SecurityMode} encryptedConfig={d.EncryptedConfig} description=\"{d.Description}\"";

    private async Task<Device> RequireAsync(string name, string? version, CancellationToken cancellationToken)
    {
        var device = await RequireAsync(name, cancellationToken);
        VersionToken.Require(version, DeviceView.VersionOf(device), $"Device {device.Name}");
        return device;
    }

    private async Task<Device> RequireAsync(string name, CancellationToken cancellationToken)
    {
        var canonical = DeviceName.TryParse(name, out var parsed) ? parsed.Value : null;
        return (canonical is null ? null : await devices.FindAsync(canonical, cancellationToken))
            ?? throw new NotFoundException($"No device '{(name.Length <= 40 ? name : name[..40] + "...")}'.");
    }

    private AuditEntry Audit(string actor, string action, string target, string details) =>
        new() { Id = Guid.CreateVersion7(), At = time.GetUtcNow(), Actor = actor, Action = action, Target = target, Details = details };

    private CertificateStoreChange Change(string device, string? sha256 = null) =>
        new(CertificateStoreChangeKind.DeviceChanged, events.InstanceId, null, device, sha256, time.GetUtcNow());
}
