using SbdServer.Core.Capf;
using SbdServer.Core.Errors;

namespace SbdServer.Core.Devices;

/// <summary>
/// A device as the API shows it; <see cref="Trust"/> (the trust inventory) and <see cref="Reported"/> (its latest
/// self-report) only on single-device reads. <see cref="Version"/> names the version shown: the API's <c>ETag</c>, sent
/// back as <c>If-Match</c> (or in the edit form) so that a change made on it is refused once the device has moved on.
/// </summary>
public sealed record DeviceView(
    string Name,
    string Model,
    string Protocol,
    string Description,
    string CallManagerGroup,
    string SecurityProfile,
    bool EncryptedConfig,
    DeviceCertificateView? Certificate,
    bool ResetPending,
    DateTimeOffset? ResetRequestedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DeviceTrustFileView>? Trust = null,
    DeviceReportView? Reported = null,
    CapfView? Capf = null,
    LscView? Lsc = null,
    string? Version = null)
{
    /// <summary>The <see cref="Version"/> of <paramref name="device"/> as stored now.</summary>
    public static string VersionOf(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return VersionToken.Of(device.Id, device.Version);
    }

    public static DeviceView Of(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceView(
            device.Name,
            device.Model,
            DeviceFields.ProtocolText(device.Protocol),
            device.Description,
            device.CallManagerGroup,
            device.SecurityMode.ToString(),
            device.EncryptedConfig,
            device.CertificateDer is null
                ? null
                : new DeviceCertificateView(device.CertificateSubject ?? "", device.CertificateMd5 ?? "", device.CertificateSha256 ?? ""),
            device.ResetRequestedAt is not null,
            device.ResetRequestedAt,
            device.UpdatedAt,
            Capf: CapfView.Of(device),
            Lsc: LscView.Of(device.LscDer),
            Version: VersionOf(device));
    }
}
