namespace SbdServer.Core.Devices;

/// <summary>A device's latest self-report as the API shows it.</summary>
public sealed record DeviceReportView(
    string? ItlMd5,
    string? ItlSha1,
    string? CtlMd5,
    string? CtlSha1,
    string? ItlSigner,
    string? Status,
    string? Firmware,
    string? LoadInformation,
    DateTimeOffset ReceivedAt)
{
    public static DeviceReportView Of(DeviceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new DeviceReportView(
            report.ItlMd5, report.ItlSha1, report.CtlMd5, report.CtlSha1, report.ItlSigner, report.Status,
            report.Firmware, report.LoadInformation, report.ReceivedAt);
    }
}
