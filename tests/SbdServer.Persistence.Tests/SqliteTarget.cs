using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Tests;

public sealed class SqliteTarget : DatabaseTarget
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override Task<DatabaseOptions> CreateAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sbd-sqlite-" + Guid.NewGuid().ToString("N"));
        return Task.FromResult(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, DataDir = dir });
    }
}
