namespace SbdServer.Core.Admins;

/// <summary>Read side of the admin users; writes go through <see cref="Storage.ISecurityStore.CommitAsync"/> with their audit entry.</summary>
public interface IAdminUserStore
{
    Task<IReadOnlyList<AdminUser>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The user named exactly <paramref name="name"/>, or null.</summary>
    Task<AdminUser?> FindAsync(string name, CancellationToken cancellationToken);
}
