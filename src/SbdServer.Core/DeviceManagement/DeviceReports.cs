using SbdServer.Core.Devices;
using SbdServer.Core.Errors;

namespace SbdServer.Core.DeviceManagement;

/// <summary>
/// Phones' self-reports (issue 4 item 4): validated, normalised (hashes lower-case hex) and stored per device, the
/// newest replacing the previous one.
/// </summary>
public sealed class DeviceReports(IDeviceStore devices, IDeviceReportStore reports, TimeProvider time)
{
    public async Task<DeviceReportView> SubmitAsync(string name, DeviceReportSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);

        // Unknown device first: a report for a phone the cluster does not know is 404 whatever its body holds.
        var device = await RequireAsync(name, cancellationToken);
        var report = new DeviceReport
        {
            Id = Guid.CreateVersion7(),
            DeviceName = device.Name,
            ItlMd5 = DeviceReportFields.Hex("itlMd5", spec.ItlMd5, 32),
            ItlSha1 = DeviceReportFields.Hex("itlSha1", spec.ItlSha1, 40),
            CtlMd5 = DeviceReportFields.Hex("ctlMd5", spec.CtlMd5, 32),
            CtlSha1 = DeviceReportFields.Hex("ctlSha1", spec.CtlSha1, 40),
            ItlSigner = DeviceReportFields.Text("itlSigner", spec.ItlSigner, DeviceReportFields.MaxSignerLength),
            Status = DeviceReportFields.Text("status", spec.Status, DeviceReportFields.MaxStatusLength),
            Firmware = DeviceReportFields.Text("firmware", spec.Firmware, DeviceReportFields.MaxFirmwareLength),
            LoadInformation = DeviceReportFields.Text("loadInformation", spec.LoadInformation, DeviceReportFields.MaxFirmwareLength),
            ReceivedAt = time.GetUtcNow(),
        };
        if (report is { ItlMd5: null, ItlSha1: null, CtlMd5: null, CtlSha1: null, ItlSigner: null, Status: null, Firmware: null, LoadInformation: null })
        {
            throw new InvalidInputException("The report is empty; send at least one of itlMd5, itlSha1, ctlMd5, ctlSha1, itlSigner, status, firmware, loadInformation.");
        }

        await reports.SaveAsync(report, cancellationToken);
        return DeviceReportView.Of(report);
    }

    /// <summary>The device's latest report, or null when it never reported.</summary>
    public async Task<DeviceReportView?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var device = await RequireAsync(name, cancellationToken);
        var report = await reports.FindAsync(device.Name, cancellationToken);
        return report is null ? null : DeviceReportView.Of(report);
    }

    private async Task<Device> RequireAsync(string name, CancellationToken cancellationToken) =>
        (DeviceName.TryParse(name, out var parsed) ? await devices.FindAsync(parsed.Value, cancellationToken) : null)
        ?? throw new NotFoundException($"No device '{(name.Length <= 40 ? name : name[..40] + "...")}'.");
}
