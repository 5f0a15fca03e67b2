using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SbdServer.Persistence.Database;

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without a running host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSbdDbContext>
{
    public SqliteSbdDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSbdDbContext>().UseSqlite("Data Source=design.db").Options);
}
