namespace SbdServer.Core.Devices;

/// <summary>What a phone polling <c>GET /api/devices/{name}/reset</c> sees.</summary>
public sealed record DeviceResetView(string Name, bool ResetPending, DateTimeOffset? RequestedAt);
