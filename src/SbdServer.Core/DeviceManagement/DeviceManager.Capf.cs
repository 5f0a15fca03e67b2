using SbdServer.Core.Capf;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Storage;

namespace SbdServer.Core.DeviceManagement;

/// <summary>CAPF scheduling (CUCM's phone page, "Certificate Authority Proxy Function (CAPF) Information").</summary>
public sealed partial class DeviceManager
{
    /// <summary>Most devices one bulk request may schedule (one transaction).</summary>
    public const int MaxBulkDevices = 10_000;

    /// <summary>Changes the CAPF settings of one device (<c>PUT /api/devices/{name}/capf</c>).</summary>
    public async Task<DeviceView> SetCapfAsync(string name, CapfSettingsSpec spec, string actor, CancellationToken cancellationToken)
    {
        var views = await SetCapfAsync([name], spec, actor, cancellationToken);
        return views[0];
    }

    /// <summary>Applies the same CAPF settings to every device named, all or none (bulk scheduling).</summary>
    public async Task<IReadOnlyList<DeviceView>> SetCapfAsync(
        IReadOnlyList<string> names, CapfSettingsSpec spec, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(spec);
        if (names.Count is 0 or > MaxBulkDevices)
        {
            throw new InvalidInputException($"Name 1 to {MaxBulkDevices} devices.");
        }

        var targets = names.Select(n => DeviceFields.ParseName(n).Value).Distinct(StringComparer.Ordinal).ToList();
        var operation = spec.Operation is null ? (CapfOperation?)null : CapfFields.ParseOperation(spec.Operation);
        var authMode = spec.AuthMode is null ? (CapfAuthMode?)null : CapfFields.ParseAuthMode(spec.AuthMode);
        var keyType = spec.KeyType is null ? (CapfKeyKind?)null : CapfFields.ParseKeyType(spec.KeyType);
        var authString = spec.AuthString is null ? null : spec.AuthString.Length == 0 ? "" : CapfFields.CheckAuthString(spec.AuthString);
        var now = time.GetUtcNow();
        if (spec.CompletesBy is { } deadline && deadline <= now && operation is not (null or CapfOperation.None))
        {
            throw new InvalidInputException($"Field 'completesBy' ({deadline:O}) has already passed.");
        }

        var result = new List<DeviceView>(targets.Count);
        await unit.WriteAsync(WriteScope.Rows, async (changes, _) =>
        {
            result.Clear();
            foreach (var target in targets)
            {
                var device = await RequireAsync(target, cancellationToken);
                var before = DescribeCapf(device);
                Apply(device, spec, operation, authMode, keyType, authString, now);
                var after = DescribeCapf(device);
                if (after != before)
                {
                    device.UpdatedAt = now;
                    changes.Updated.Add(device);
                    changes.Audit.Add(Audit(actor, "device.capf", device.Name, $"{before} -> {after}"));
                    changes.Changes.Add(Change(device.Name));
                }

                result.Add(DeviceView.Of(device));
            }

            return result;
        }, cancellationToken);
        return result;
    }

    /// <summary>
    /// Applies a CAPF session's outcome to a device under the device write lock (so an admin change and a phone's
    /// session never overwrite each other). <paramref name="change"/> returns the audit text, or null to write nothing.
    /// </summary>
    public async Task<Device?> RecordCapfAsync(
        string name, string actor, string action, Func<Device, string?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        // A CAPF session's outcome is the phone's, not an administrator's reading: on a conflict it is applied again
        // to a fresh read.
        return await unit.WriteAsync(WriteScope.Rows, PhoneWriteAttempts, async (changes, _) =>
        {
            var device = await devices.FindAsync(name, cancellationToken);
            if (device is null)
            {
                return null;
            }

            var details = change(device);
            if (details is null)
            {
                return null;
            }

            device.UpdatedAt = time.GetUtcNow();
            changes.Updated.Add(device);
            changes.Audit.Add(Audit(actor, action, device.Name, details));
            changes.Changes.Add(Change(device.Name, device.CertificateSha256));
            return (Device?)device;
        }, cancellationToken);
    }

    private static void Apply(
        Device device,
        CapfSettingsSpec spec,
        CapfOperation? operation,
        CapfAuthMode? authMode,
        CapfKeyKind? keyType,
        string? authString,
        DateTimeOffset now)
    {
        device.CapfAuthMode = authMode ?? device.CapfAuthMode;
        if (authString is not null)
        {
            device.CapfAuthString = authString.Length == 0 ? null : authString;
        }

        if (keyType is { } kind && kind != device.CapfKeyType)
        {
            device.CapfKeyType = kind;
            device.CapfKeySize = spec.KeySize ?? (kind == CapfKeyKind.Rsa ? 2048 : 256);
        }

        device.CapfKeySize = CapfFields.CheckKeySize(device.CapfKeyType, spec.KeySize ?? device.CapfKeySize);
        if (spec.CompletesBy is not null || operation is not null)
        {
            device.CapfCompletesBy = spec.CompletesBy ?? (operation == CapfOperation.None ? null : device.CapfCompletesBy);
        }

        if (operation is { } op)
        {
            device.CapfOperation = op;
            if (op != CapfOperation.None)
            {
                device.CapfStatus = CapfStatus.Pending;
                device.CapfStatusReason = null;
                device.CapfFailedAttempts = 0;
            }
            else if (device.CapfStatus == CapfStatus.Pending)
            {
                device.CapfStatus = CapfStatus.None;
            }
        }

        if (device.CapfOperation != CapfOperation.None && device.CapfAuthMode == CapfAuthMode.AuthenticationString
            && string.IsNullOrEmpty(device.CapfAuthString))
        {
            throw new InvalidInputException(
                $"Device {device.Name}: authMode AuthenticationString needs 'authString' ({CapfFields.MinAuthStringLength}-{CapfFields.MaxAuthStringLength} digits).");
        }

        if (device.CapfCompletesBy is { } deadline && deadline <= now && operation is not (null or CapfOperation.None))
        {
            throw new InvalidInputException($"Device {device.Name}: 'completesBy' ({deadline:O}) has already passed.");
        }
    }

    private static string DescribeCapf(Device d) =>
        $"capf operation={d.CapfOperation} authMode={d.CapfAuthMode} authString={(string.IsNullOrEmpty(d.CapfAuthString) ? "unset" : "set")} " +
        $"key={CapfFields.KeyTypeText(d.CapfKeyType)}-{d.CapfKeySize} completesBy={d.CapfCompletesBy?.ToString("O") ?? "-"} status={d.CapfStatus}";
}
