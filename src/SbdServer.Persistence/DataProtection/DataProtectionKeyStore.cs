using Microsoft.EntityFrameworkCore;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.DataProtection;

/// <summary>The cluster's Data Protection key elements in the shared database (table <c>data_protection_keys</c>).</summary>
/// <remarks>Synchronous because Data Protection's key repository contract is; it reads the keys rarely (key ring refresh).</remarks>
public sealed class DataProtectionKeyStore(SbdDbContextFactory contexts)
{
    public IReadOnlyList<string> GetAll()
    {
        using var db = contexts.Create();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml)];
    }

    public void Add(string friendlyName, string xml)
    {
        using var db = contexts.Create();
        db.DataProtectionKeys.Add(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = xml });
        db.SaveChanges();
    }
}
