namespace SbdServer.Admin.Security;

/// <summary>The admin UI's cookie session.</summary>
public static class AdminCookie
{
    public const string Scheme = "SbdAdminCookie";

    /// <summary>The <c>__Host-</c> prefix makes browsers insist on Secure, path <c>/</c> and no Domain.</summary>
    public const string Name = "__Host-SbdAdmin";

    public const string SignInPath = AdminUiRegistration.BasePath + "/signin";
    public const string SignOutPath = AdminUiRegistration.BasePath + "/signout";
}
