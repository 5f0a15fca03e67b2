namespace SbdServer.Core.Admins;

/// <summary>An admin user as pages and logs may show it (no hash).</summary>
public sealed record AdminUserView(string Name, bool Enabled, bool Configured, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AdminUserView Of(AdminUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Name, user.Enabled, user.Configured, user.CreatedAt, user.UpdatedAt);
    }
}
