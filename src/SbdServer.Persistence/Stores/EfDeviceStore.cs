using Microsoft.EntityFrameworkCore;
using SbdServer.Core.Devices;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Stores;

/// <summary>EF Core read side of the device table (writes go through <see cref="EfSecurityStore.CommitAsync"/>).</summary>
public sealed class EfDeviceStore(SbdDbContextFactory contexts) : IDeviceStore
{
    public async Task<IReadOnlyList<Device>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Devices.AsNoTracking().ToListAsync(cancellationToken);
    }

    public async Task<Device?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Name == name, cancellationToken);
    }
}
