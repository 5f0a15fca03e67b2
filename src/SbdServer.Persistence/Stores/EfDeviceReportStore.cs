using Microsoft.EntityFrameworkCore;
using SbdServer.Core.Devices;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Stores;

/// <summary>EF Core store of phones' latest self-reports, one row per device.</summary>
public sealed class EfDeviceReportStore(SbdDbContextFactory contexts) : IDeviceReportStore
{
    public async Task SaveAsync(DeviceReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);

        // Two reports of one phone racing (two nodes) can both find no row; the loser's insert then violates the
        // unique name and simply goes again, replacing the winner's row.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ReplaceAsync(report, cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
            }
        }
    }

    public async Task<DeviceReport?> FindAsync(string deviceName, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.DeviceReports.AsNoTracking().FirstOrDefaultAsync(r => r.DeviceName == deviceName, cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceReport>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.DeviceReports.AsNoTracking().ToListAsync(cancellationToken);
    }

    private async Task ReplaceAsync(DeviceReport report, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.DeviceReports.Where(r => r.DeviceName == report.DeviceName).ExecuteDeleteAsync(cancellationToken);
        db.DeviceReports.Add(report);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
