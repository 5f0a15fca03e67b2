using SbdServer.Persistence.Database;
using SbdServer.Testing;

namespace SbdServer.Persistence.Tests;

public sealed class PostgresTarget : DatabaseTarget
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<DatabaseOptions> CreateAsync()
    {
        var server = await PostgresServer.RequireAsync();
        return new DatabaseOptions
        {
            Provider = DatabaseProvider.Postgres,
            ConnectionString = await server.CreateDatabaseAsync(),
        };
    }
}
