namespace SbdServer.Core.Devices;

/// <summary>A phone's self-report as received; <c>DeviceManagement.DeviceReports</c> validates and normalises it.</summary>
public sealed record DeviceReportSpec(
    string? ItlMd5,
    string? ItlSha1,
    string? CtlMd5,
    string? CtlSha1,
    string? ItlSigner,
    string? Status,
    string? Firmware,
    string? LoadInformation);
