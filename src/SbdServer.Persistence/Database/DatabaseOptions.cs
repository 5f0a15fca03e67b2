namespace SbdServer.Persistence.Database;

/// <summary>
/// Where the security state lives (<c>Sbd:Database:*</c>, <c>ConnectionStrings:Sbd</c>, <c>Sbd:DataDir</c>). The host
/// validates it with a validator of its own rather than data annotations: those read every property, and
/// <see cref="EffectiveConnectionString"/> throws for exactly the settings the validator is there to name.
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration section of <see cref="Provider"/>, <see cref="Migrate"/> and <see cref="StartTimeoutSeconds"/>.</summary>
    public const string Section = "Sbd:Database";

    /// <summary>The connection string's name (<c>ConnectionStrings:Sbd</c>).</summary>
    public const string ConnectionStringName = "Sbd";

    /// <summary>The key of <see cref="DataDir"/>.</summary>
    public const string DataDirKey = "Sbd:DataDir";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Connection string; for SQLite it defaults to <c>sbd.db</c> in <see cref="DataDir"/>.</summary>
    public string? ConnectionString { get; set; }

    public string DataDir { get; set; } = "data";

    /// <summary>Apply pending migrations at start.</summary>
    public bool Migrate { get; set; } = true;

    /// <summary>
    /// How long a start keeps retrying after the database first failed to answer, before it refuses (a compose stack
    /// whose database is still starting).
    /// </summary>
    public int StartTimeoutSeconds { get; set; } = 30;

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
