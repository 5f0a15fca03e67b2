using System.ComponentModel.DataAnnotations;

namespace SbdServer.Host.Auth;

/// <summary>Configuration section <c>Sbd:Admin</c>: the configured admin, bearer tokens and sign-in limits (docs/runbook.md).</summary>
internal sealed class AdminOptions
{
    public const string Section = "Sbd:Admin";

    /// <summary>The key of <see cref="Password"/>, resolved with the secret-file fallback (<c>SecretFiles</c>).</summary>
    public const string PasswordKey = Section + ":" + nameof(Password);

    [Required(AllowEmptyStrings = false, ErrorMessage = "Sbd:Admin:User must not be empty.")]
    public string User { get; set; } = "admin";

    /// <summary>The configured admin's password; unset means the generated secret file of a first SQLite start.</summary>
    public string? Password { get; set; }

    [Range(1, 7 * 24 * 60, ErrorMessage = "Sbd:Admin:TokenLifetimeMinutes must be 1 to 10080 (a week).")]
    public int TokenLifetimeMinutes { get; set; } = 480;

    [Range(1, 1000, ErrorMessage = "Sbd:Admin:LockoutThreshold must be 1 to 1000.")]
    public int LockoutThreshold { get; set; } = 5;

    [Range(1, 24 * 60, ErrorMessage = "Sbd:Admin:LockoutMinutes must be 1 to 1440 (a day).")]
    public int LockoutMinutes { get; set; } = 15;

    [Range(1, 1_000_000, ErrorMessage = "Sbd:Admin:AddressFailureLimit must be 1 to 1000000.")]
    public int AddressFailureLimit { get; set; } = 20;

    [Range(1, 24 * 3600, ErrorMessage = "Sbd:Admin:AddressWindowSeconds must be 1 to 86400 (a day).")]
    public int AddressWindowSeconds { get; set; } = 60;
}
