using Microsoft.EntityFrameworkCore;

namespace SbdServer.Persistence.Database;

/// <summary>SQLite flavour (default; one file under <c>Sbd:DataDir</c>); migrations in <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteSbdDbContext(DbContextOptions<SqliteSbdDbContext> options) : SbdDbContext(options);
