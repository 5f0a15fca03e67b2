using System.Text.Json.Serialization;
using SbdServer.Core.Devices;

namespace SbdServer.Host.Api;

/// <summary>JSON body of <c>POST /api/devices</c> and <c>PUT /api/devices/{name}</c>; unknown fields are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record DeviceBody(
    string? Name,
    string? Model,
    string? Protocol,
    string? Description,
    string? CallManagerGroup,
    string? SecurityProfile,
    bool? EncryptedConfig)
{
    public DeviceSpec ToSpec() => new(Name, Model, Protocol, Description, CallManagerGroup, SecurityProfile, EncryptedConfig);
}
