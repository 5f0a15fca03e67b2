using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// Start-up refusals that need no certificates, on the real executable: what the admin sees is the console line and
/// the exit code. (In-process factories failing to start while others run in parallel surfaced a disposed service
/// provider instead of the cause now and then.)
/// </summary>
public sealed class StartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Sbd__Database__Migrate", "false", "Sbd:Database:Migrate is false")]
    [InlineData("Sbd__Database__Provider", "Oracle", "Sbd:Database:Provider must be Sqlite or Postgres, not 'Oracle'")]
    public async Task BadDatabaseSetting_StopsTheStartWithAClearError(string key, string value, string message)
    {
        var dataDir = DataDirInspector.NewDataDir();
        await using (var host = HostProcess.Start(dataDir, new Dictionary<string, string?> { [key] = value }))
        {
            Assert.NotEqual(0, await host.WaitForExitAsync(Ct));
            Assert.Contains(message, host.Output, StringComparison.Ordinal);
        }

        DataDirInspector.Delete(dataDir);
    }
}
