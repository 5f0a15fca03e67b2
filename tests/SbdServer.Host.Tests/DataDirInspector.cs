using Microsoft.EntityFrameworkCore;
using SbdServer.Core.CertificateStore;
using SbdServer.Crypto.Certificates;
using SbdServer.Crypto.Keys;
using SbdServer.Persistence.Database;

namespace SbdServer.Host.Tests;

/// <summary>Reads a stopped host's SQLite database directly and checks every stored key against its certificate.</summary>
internal static class DataDirInspector
{
    public sealed record StoredIdentity(string Name, string Sha256, byte[] Der, byte[] ProtectedKey, bool KeyMatches);

    public static async Task<(List<StoredIdentity> Identities, List<StoredIdentity> History)> ReadAsync(
        string dataDir, string password = HostProcess.SecurityPassword)
    {
        var contexts = new SbdDbContextFactory(new DatabaseOptions { DataDir = dataDir });
        using var keys = new KeyProtectorFactory(new KeyProtectionOptions { Pbkdf2Iterations = 1000 }).Create(password);
        var inspector = new CertificateInspector();
        await using var db = contexts.Create();
        var identities = await db.IdentityCertificates.AsNoTracking().ToListAsync();
        var history = await db.CertificateHistory.AsNoTracking().ToListAsync();

        StoredIdentity Check(string name, string sha256, byte[] der, byte[] sealedKey) =>
            new(name, sha256, der, sealedKey, sealedKey.Length > 0 && inspector.KeyMatches(der, keys.Unprotect(sealedKey)));

        return (
            [.. identities.Select(c => Check(c.Name, c.Sha256, c.Der, c.ProtectedKey))],
            [.. history.Select(c => Check(c.Name, c.Sha256, c.Der, c.ProtectedKey))]);
    }

    public static void Delete(string dataDir)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: unique per test.
        }
    }

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "sbd-proc-" + Guid.NewGuid().ToString("N"));

    /// <summary>All identity certificate names a fresh publisher has.</summary>
    public static IReadOnlyList<string> ExpectedNames => CertificateStores.Identities;
}
