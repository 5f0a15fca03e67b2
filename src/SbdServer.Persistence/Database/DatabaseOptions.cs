namespace SbdServer.Persistence.Database;

/// <summary>Where the security state lives (<c>Sbd:Database:*</c>, <c>ConnectionStrings:Sbd</c>, <c>Sbd:DataDir</c>).</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Connection string; for SQLite it defaults to <c>sbd.db</c> in <see cref="DataDir"/>.</summary>
    public string? ConnectionString { get; set; }

    public string DataDir { get; set; } = "data";

    /// <summary>Apply pending migrations at start.</summary>
    public bool Migrate { get; set; } = true;

    public string EffectiveConnectionString => Provider switch
    {
        DatabaseProvider.Sqlite => string.IsNullOrWhiteSpace(ConnectionString)
            ? $"Data Source={Path.Combine(Path.GetFullPath(DataDir), "sbd.db")}"
            : ConnectionString,
        DatabaseProvider.Postgres => string.IsNullOrWhiteSpace(ConnectionString)
            ? throw new InvalidOperationException("Sbd:Database:Provider is Postgres but ConnectionStrings:Sbd is not set.")
            : ConnectionString,
        _ => throw new InvalidOperationException($"Unknown database provider {Provider}."),
    };
}
