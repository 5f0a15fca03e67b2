using System.Text.Json.Serialization;
using SbdServer.Core.Devices;

namespace SbdServer.Host.Api;

/// <summary>JSON body of <c>POST /api/devices/{name}/report</c>; unknown fields are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record DeviceReportBody(
    string? ItlMd5,
    string? ItlSha1,
    string? CtlMd5,
    string? CtlSha1,
    string? ItlSigner,
    string? Status,
    string? Firmware,
    string? LoadInformation)
{
    public DeviceReportSpec ToSpec() => new(ItlMd5, ItlSha1, CtlMd5, CtlSha1, ItlSigner, Status, Firmware, LoadInformation);
}
