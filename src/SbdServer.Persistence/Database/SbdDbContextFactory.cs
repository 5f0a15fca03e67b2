using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace SbdServer.Persistence.Database;

/// <summary>Creates the provider-specific context; safe to share (each call returns a new short-lived context).</summary>
public sealed class SbdDbContextFactory
{
    private readonly DbContextOptions<SqliteSbdDbContext>? _sqlite;
    private readonly DbContextOptions<PostgresSbdDbContext>? _postgres;

    public SbdDbContextFactory(DatabaseOptions options)
    {
        Options = options;
        var connectionString = options.EffectiveConnectionString;
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                Directory.CreateDirectory(Path.GetFullPath(options.DataDir));
                _sqlite = new DbContextOptionsBuilder<SqliteSbdDbContext>().UseSqlite(connectionString).Options;
                break;
            case DatabaseProvider.Postgres:
                _postgres = new DbContextOptionsBuilder<PostgresSbdDbContext>().UseNpgsql(connectionString).Options;
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {options.Provider}.");
        }
    }

    public DatabaseOptions Options { get; }

    public SbdDbContext Create() => Options.Provider == DatabaseProvider.Sqlite
        ? new SqliteSbdDbContext(_sqlite!)
        : new PostgresSbdDbContext(_postgres!);

    /// <summary>A context on a connection the caller owns and keeps open (a write unit's).</summary>
    public SbdDbContext Create(DbConnection connection) => Options.Provider == DatabaseProvider.Sqlite
        ? new SqliteSbdDbContext(new DbContextOptionsBuilder<SqliteSbdDbContext>().UseSqlite(connection).Options)
        : new PostgresSbdDbContext(new DbContextOptionsBuilder<PostgresSbdDbContext>().UseNpgsql(connection).Options);

    /// <summary>Names of migrations the database has not had yet.</summary>
    public async Task<IReadOnlyList<string>> GetPendingMigrationsAsync(CancellationToken cancellationToken)
    {
        await using var db = Create();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }

    /// <summary>Applies pending migrations (both providers keep their own set).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = Create();
        await db.Database.MigrateAsync(cancellationToken);
    }
}
