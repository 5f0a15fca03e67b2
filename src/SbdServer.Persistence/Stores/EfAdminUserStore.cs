using Microsoft.EntityFrameworkCore;
using SbdServer.Core.Admins;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Stores;

/// <summary>EF Core read side of the admin users (writes go through <see cref="EfSecurityStore.CommitAsync"/>).</summary>
public sealed class EfAdminUserStore(SbdDbContextFactory contexts) : IAdminUserStore
{
    public async Task<IReadOnlyList<AdminUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.AdminUsers.AsNoTracking().ToListAsync(cancellationToken);
    }

    public async Task<AdminUser?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.AdminUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Name == name, cancellationToken);
    }
}
