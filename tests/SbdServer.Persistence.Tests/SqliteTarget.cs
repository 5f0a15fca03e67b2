using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Tests;

public sealed class SqliteTarget : DatabaseTarget, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sbd-sqlite-" + Guid.NewGuid().ToString("N"));

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: unique per run.
        }
    }

    protected override Task<DatabaseOptions> CreateAsync()
    {
        var dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        return Task.FromResult(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataDir = dir });
    }
}
