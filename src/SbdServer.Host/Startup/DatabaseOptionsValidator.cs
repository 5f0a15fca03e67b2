using Microsoft.Extensions.Options;
using SbdServer.Persistence.Database;

namespace SbdServer.Host.Startup;

/// <summary>The rules of <see cref="DatabaseOptions"/>, which span its keys (provider and connection string).</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        // The binder turns "5" into an enum value no provider has; names are what the runbook documents.
        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"Sbd:Database:Provider must be {string.Join(" or ", Enum.GetNames<DatabaseProvider>())}, not '{(int)options.Provider}'.");
        }
        else if (options.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("ConnectionStrings:Sbd must be set (environment ConnectionStrings__Sbd) when Sbd:Database:Provider is Postgres.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            failures.Add("Sbd:DataDir must name a directory.");
        }

        if (options.StartTimeoutSeconds is < 0 or > 24 * 3600)
        {
            failures.Add("Sbd:Database:StartTimeoutSeconds must be 0 to 86400.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
