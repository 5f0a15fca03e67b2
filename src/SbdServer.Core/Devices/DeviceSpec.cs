namespace SbdServer.Core.Devices;

/// <summary>
/// What an administrator sends to create or change a device. On create every null field takes its default; on update
/// a null field keeps the current value.
/// </summary>
/// <param name="Protocol"><c>SIP</c> or <c>SCCP</c>.</param>
/// <param name="SecurityProfile"><c>NonSecure</c>, <c>Authenticated</c> or <c>Encrypted</c>.</param>
public sealed record DeviceSpec(
    string? Name,
    string? Model,
    string? Protocol,
    string? Description,
    string? CallManagerGroup,
    string? SecurityProfile,
    bool? EncryptedConfig);
