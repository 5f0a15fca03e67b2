using Microsoft.EntityFrameworkCore;

namespace SbdServer.Persistence.Database;

/// <summary>PostgreSQL flavour (clusters of nodes share one database); migrations in <c>Migrations/Postgres</c>.</summary>
public sealed class PostgresSbdDbContext(DbContextOptions<PostgresSbdDbContext> options) : SbdDbContext(options);
