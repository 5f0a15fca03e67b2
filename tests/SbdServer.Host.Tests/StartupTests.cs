using Microsoft.AspNetCore.Hosting;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>Start-up refusals that need no certificates.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task MigrateFalse_OnAnEmptyDatabase_StopsTheStartWithAClearError()
    {
        await using var root = new ApiFactory();
        await using var factory = root.WithWebHostBuilder(b => b.UseSetting("Sbd:Database:Migrate", "false"));

        var ex = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains("Sbd:Database:Migrate is false", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownProvider_StopsTheStartWithAClearError()
    {
        await using var root = new ApiFactory();
        await using var factory = root.WithWebHostBuilder(b => b.UseSetting("Sbd:Database:Provider", "Oracle"));

        var ex = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains("Sbd:Database:Provider must be Sqlite or Postgres", ex.Message, StringComparison.Ordinal);
    }
}
