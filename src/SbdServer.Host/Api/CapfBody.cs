using SbdServer.Core.Capf;

namespace SbdServer.Host.Api;

/// <summary>
/// <c>PUT /api/devices/{name}/capf</c> and, with <see cref="Devices"/>, the bulk form <c>PUT /api/devices/capf</c>.
/// </summary>
internal sealed record CapfBody(
    string? Operation,
    string? AuthMode,
    string? AuthString,
    string? KeyType,
    int? KeySize,
    DateTimeOffset? CompletesBy,
    IReadOnlyList<string>? Devices = null)
{
    public CapfSettingsSpec ToSpec() => new(Operation, AuthMode, AuthString, KeyType, KeySize, CompletesBy);
}
