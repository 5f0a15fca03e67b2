using SbdServer.Core.Storage;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Tests;

/// <summary>Creates empty, migrated databases of one provider, and copies of one bootstrapped cluster.</summary>
public abstract class DatabaseTarget
{
    private readonly SemaphoreSlim _templateLock = new(1, 1);
    private SecurityArchiveContent? _template;

    public abstract DatabaseProvider Provider { get; }

    /// <summary>A new empty database with the schema applied.</summary>
    public async Task<DatabaseOptions> NewDatabaseAsync()
    {
        var options = await CreateAsync();
        await new SbdDbContextFactory(options).MigrateAsync(CancellationToken.None);
        return options;
    }

    /// <summary>
    /// A new database holding a copy of one cluster bootstrapped once per run (RSA key generation is slow, and most
    /// tests are not about it).
    /// </summary>
    public async Task<DatabaseOptions> NewClusterAsync()
    {
        await _templateLock.WaitAsync();
        try
        {
            if (_template is null)
            {
                using var seed = SecurityHarness.Create(await NewDatabaseAsync());
                await seed.Bootstrapper.EnsureAsync(CancellationToken.None);
                _template = await seed.Store.ExportAsync(CancellationToken.None);
            }
        }
        finally
        {
            _templateLock.Release();
        }

        var options = await NewDatabaseAsync();
        using var harness = SecurityHarness.Create(options);
        await harness.Store.ReplaceAllAsync(_template, new SecurityChangeSet(), CancellationToken.None);
        return options;
    }

    protected abstract Task<DatabaseOptions> CreateAsync();
}
