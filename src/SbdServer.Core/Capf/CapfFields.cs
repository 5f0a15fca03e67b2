using SbdServer.Core.Errors;

namespace SbdServer.Core.Capf;

/// <summary>Parsing and display of the CAPF settings (API strings to enums and back, CUCM's limits).</summary>
public static class CapfFields
{
    public const int MinAuthStringLength = 4;
    public const int MaxAuthStringLength = 10;

    /// <summary>Key sizes CUCM offers for LSCs.</summary>
    public static IReadOnlyList<int> RsaSizes { get; } = [1024, 2048, 4096];

    public static IReadOnlyList<int> EcSizes { get; } = [256, 384, 521];

    public static CapfOperation ParseOperation(string value) => value.Trim().ToUpperInvariant() switch
    {
        "NONE" => CapfOperation.None,
        "INSTALL" or "UPGRADE" or "INSTALL/UPGRADE" => CapfOperation.Install,
        "FETCH" or "TROUBLESHOOT" => CapfOperation.Fetch,
        "DELETE" => CapfOperation.Delete,
        _ => throw new InvalidInputException($"Field 'operation' must be Install, Fetch, Delete or None, not '{Clip(value)}'."),
    };

    public static CapfAuthMode ParseAuthMode(string value) => value.Trim().ToUpperInvariant() switch
    {
        "AUTHENTICATIONSTRING" => CapfAuthMode.AuthenticationString,
        "NULLSTRING" => CapfAuthMode.NullString,
        "EXISTINGCERTIFICATE" => CapfAuthMode.ExistingCertificate,
        _ => throw new InvalidInputException(
            $"Field 'authMode' must be AuthenticationString, NullString or ExistingCertificate, not '{Clip(value)}'."),
    };

    public static CapfKeyKind ParseKeyType(string value) => value.Trim().ToUpperInvariant() switch
    {
        "RSA" => CapfKeyKind.Rsa,
        "EC" or "ECDSA" => CapfKeyKind.Ec,
        _ => throw new InvalidInputException($"Field 'keyType' must be RSA or EC, not '{Clip(value)}'."),
    };

    public static int CheckKeySize(CapfKeyKind kind, int size)
    {
        var allowed = kind == CapfKeyKind.Rsa ? RsaSizes : EcSizes;
        return allowed.Contains(size)
            ? size
            : throw new InvalidInputException(
                $"Field 'keySize': {size} is not offered for {KeyTypeText(kind)}; choose {string.Join(", ", allowed)}.");
    }

    public static string CheckAuthString(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length is >= MinAuthStringLength and <= MaxAuthStringLength && trimmed.All(char.IsAsciiDigit)
            ? trimmed
            : throw new InvalidInputException(
                $"Field 'authString' must be {MinAuthStringLength} to {MaxAuthStringLength} digits.");
    }

    public static string KeyTypeText(CapfKeyKind kind) => kind == CapfKeyKind.Rsa ? "RSA" : "EC";

    /// <summary>CUCM's wording of the status on the phone page.</summary>
    public static string StatusText(CapfStatus status) => status switch
    {
        CapfStatus.None => "None",
        CapfStatus.Pending => "Pending",
        CapfStatus.UpgradeSuccess => "Upgrade Success",
        CapfStatus.UpgradeFailed => "Upgrade Failed",
        CapfStatus.DeleteSuccess => "Delete Success",
        CapfStatus.DeleteFailed => "Delete Failed",
        CapfStatus.TroubleshootSuccess => "Troubleshoot Success",
        CapfStatus.TroubleshootFailed => "Troubleshoot Failed",
        _ => status.ToString(),
    };

    public static CapfStatus FailedStatus(CapfOperation operation) => operation switch
    {
        CapfOperation.Install => CapfStatus.UpgradeFailed,
        CapfOperation.Delete => CapfStatus.DeleteFailed,
        CapfOperation.Fetch => CapfStatus.TroubleshootFailed,
        _ => CapfStatus.None,
    };

    private static string Clip(string value) => value.Length <= 32 ? value : value[..32] + "...";
}
