using SbdServer.Core.Capf;

namespace SbdServer.Core.Devices;

/// <summary>The CAPF part of a device as the API shows it (the authentication string is never shown).</summary>
public sealed record CapfView(
    string Operation,
    string AuthMode,
    bool AuthStringSet,
    string KeyType,
    int KeySize,
    DateTimeOffset? CompletesBy,
    string Status,
    string? StatusReason,
    DateTimeOffset? LastAttemptAt,
    int FailedAttempts)
{
    public static CapfView Of(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new CapfView(
            device.CapfOperation.ToString(),
            device.CapfAuthMode.ToString(),
            !string.IsNullOrEmpty(device.CapfAuthString),
            CapfFields.KeyTypeText(device.CapfKeyType),
            device.CapfKeySize,
            device.CapfCompletesBy,
            CapfFields.StatusText(device.CapfStatus),
            device.CapfStatusReason,
            device.CapfLastAttemptAt,
            device.CapfFailedAttempts);
    }
}
