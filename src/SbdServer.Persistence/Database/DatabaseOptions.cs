using System.ComponentModel.DataAnnotations;

namespace SbdServer.Persistence.Database;

/// <summary>Where the security state lives (<c>Sbd:Database:*</c>, <c>ConnectionStrings:Sbd</c>, <c>Sbd:DataDir</c>).</summary>
public sealed class DatabaseOptions : IValidatableObject
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
    [Range(0, 24 * 3600, ErrorMessage = "Sbd:Database:StartTimeoutSeconds must be 0 to 86400.")]
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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The binder turns "5" into an enum value no provider has; names are what the runbook documents.
        if (!Enum.IsDefined(Provider))
        {
            yield return new ValidationResult(
                $"Sbd:Database:Provider must be {string.Join(" or ", Enum.GetNames<DatabaseProvider>())}, not '{(int)Provider}'.",
                [nameof(Provider)]);
        }

        if (string.IsNullOrWhiteSpace(DataDir))
        {
            yield return new ValidationResult("Sbd:DataDir must name a directory.", [nameof(DataDir)]);
        }
    }
}
