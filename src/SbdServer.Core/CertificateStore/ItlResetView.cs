namespace SbdServer.Core.CertificateStore;

/// <summary>The bulk ITL reset state (<c>GET/POST/DELETE /api/itl/reset</c>).</summary>
/// <param name="Active">Whether ITLs are signed by each TFTP node's CallManager now.</param>
/// <param name="Key">"localkey" while active, else null.</param>
/// <param name="Since">When the reset started.</param>
/// <param name="Signer">What signs the ITL now: "ITLRecovery" or "CallManager".</param>
/// <param name="ResetDevices">Devices marked for reset by this call (Phone Interaction on Certificate Update).</param>
public sealed record ItlResetView(bool Active, string? Key, DateTimeOffset? Since, string Signer, IReadOnlyList<string> ResetDevices);
