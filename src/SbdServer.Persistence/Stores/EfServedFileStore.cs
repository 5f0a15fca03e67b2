using Microsoft.EntityFrameworkCore;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Stores;

/// <summary>EF Core store of the last ITL/CTL served per device.</summary>
public sealed class EfServedFileStore(SbdDbContextFactory contexts) : IServedFileStore
{
    public async Task RecordAsync(IReadOnlyList<DeviceServedFile> served, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(served);
        var newest = served
            .GroupBy(s => (s.DeviceName, s.Kind))
            .Select(g => g.MaxBy(s => s.ServedAt)!)
            .ToList();
        if (newest.Count == 0)
        {
            return;
        }

        // Two nodes recording the same phone at once: the loser's update finds another version (or its insert a row
        // that was not there when it read) and simply goes again on a fresh read; the newest record still wins.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordNewestAsync(newest, cancellationToken);
                return;
            }
            catch (WriteConflictException) when (attempt < 3)
            {
            }
        }
    }

    private async Task RecordNewestAsync(List<DeviceServedFile> newest, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var names = newest.Select(s => s.DeviceName).Distinct().ToList();
        var existing = await db.DeviceServedFiles.Where(f => names.Contains(f.DeviceName)).ToListAsync(cancellationToken);
        foreach (var item in newest)
        {
            var row = existing.FirstOrDefault(f => f.DeviceName == item.DeviceName && f.Kind == item.Kind);
            if (row is null)
            {
                db.DeviceServedFiles.Add(new DeviceServedFile
                {
                    Id = item.Id,
                    DeviceName = item.DeviceName,
                    Kind = item.Kind,
                    Md5 = item.Md5,
                    Sha1 = item.Sha1,
                    ServedAt = item.ServedAt,
                });
            }
            else if (row.ServedAt <= item.ServedAt)
            {
                row.Md5 = item.Md5;
                row.Sha1 = item.Sha1;
                row.ServedAt = item.ServedAt;
                row.Version++;
            }
        }

        await RowVersions.SaveAsync(db, cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceServedFile>> ForDeviceAsync(string deviceName, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.DeviceServedFiles.AsNoTracking().Where(f => f.DeviceName == deviceName).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceServedFile>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.DeviceServedFiles.AsNoTracking().ToListAsync(cancellationToken);
    }
}
