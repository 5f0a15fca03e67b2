namespace SbdServer.Core.Capf;

/// <summary>
/// The body of <c>PUT /api/devices/{name}/capf</c>. Null fields keep their current value; scheduling an operation
/// other than None resets the status to Pending and the failure count to zero.
/// </summary>
/// <param name="Operation"><c>Install</c>, <c>Fetch</c>, <c>Delete</c> or <c>None</c>.</param>
/// <param name="AuthMode"><c>AuthenticationString</c>, <c>NullString</c> or <c>ExistingCertificate</c>.</param>
/// <param name="AuthString">4-10 digits (required with AuthenticationString).</param>
/// <param name="KeyType"><c>RSA</c> or <c>EC</c>.</param>
/// <param name="KeySize">RSA 1024/2048/4096, EC 256/384/521.</param>
/// <param name="CompletesBy">Deadline of the operation (ISO 8601); null for none.</param>
public sealed record CapfSettingsSpec(
    string? Operation,
    string? AuthMode,
    string? AuthString,
    string? KeyType,
    int? KeySize,
    DateTimeOffset? CompletesBy);
