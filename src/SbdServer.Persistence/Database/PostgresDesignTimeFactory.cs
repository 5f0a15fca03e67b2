using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SbdServer.Persistence.Database;

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without a server (no connection is opened).</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSbdDbContext>
{
    public PostgresSbdDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSbdDbContext>().UseNpgsql("Host=localhost;Database=sbd_design").Options);
}
