using System.Net;
using System.Text.Json;
using SbdServer.Persistence.Stores;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>The real executable: restarts, wrong passwords and crashes in the middle of a regeneration.</summary>
public sealed class HostProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartTwice_KeepsCertificatesAndKeys_AndAWrongOrMissingPasswordIsRefused()
    {
        var dataDir = DataDirInspector.NewDataDir();
        string firstList;
        await using (var first = HostProcess.Start(dataDir))
        {
            Assert.True(await first.WaitHealthyAsync(Ct), first.Output);
            using var client = first.Client();
            firstList = await client.GetStringAsync("/api/nodes/sbd-pub/certificates", Ct);
        }

        var (stored, _) = await DataDirInspector.ReadAsync(dataDir);
        Assert.Equal(DataDirInspector.ExpectedNames.Order(), stored.Select(s => s.Name).Order());
        Assert.All(stored, s => Assert.True(s.KeyMatches, s.Name));

        await using (var second = HostProcess.Start(dataDir))
        {
            Assert.True(await second.WaitHealthyAsync(Ct), second.Output);
            using var client = second.Client();
            Assert.Equal(firstList, await client.GetStringAsync("/api/nodes/sbd-pub/certificates", Ct));
        }

        var (again, history) = await DataDirInspector.ReadAsync(dataDir);
        Assert.Empty(history);
        foreach (var before in stored)
        {
            var after = again.Single(s => s.Name == before.Name);
            Assert.Equal(before.Der, after.Der);
            Assert.Equal(before.ProtectedKey, after.ProtectedKey);
        }

        await using (var wrong = HostProcess.Start(dataDir, new Dictionary<string, string?> { ["Sbd__Cluster__SecurityPassword"] = "wrong" }))
        {
            StartRefusalProcessTests.AssertRefused(wrong, await wrong.WaitForExitAsync(Ct), 3, "Sbd:Cluster:SecurityPassword");
            Assert.Contains("not the password this cluster was created with", wrong.Output, StringComparison.Ordinal);
        }

        await using (var missing = HostProcess.Start(dataDir, new Dictionary<string, string?> { ["Sbd__Cluster__SecurityPassword"] = null }))
        {
            StartRefusalProcessTests.AssertRefused(missing, await missing.WaitForExitAsync(Ct), 2, "Sbd:Cluster:SecurityPassword");
            Assert.Contains("Sbd:Cluster:SecurityPassword is not set", missing.Output, StringComparison.Ordinal);
        }

        var (unchanged, _) = await DataDirInspector.ReadAsync(dataDir);
        Assert.Equal(stored.Select(s => s.Sha256).Order(), unchanged.Select(s => s.Sha256).Order());
        DataDirInspector.Delete(dataDir);
    }

    [Fact]
    public async Task StartedFromTheRootDirectory_WatchesOnlyItsOwnFiles()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("inotify is Linux's.");
        }

        // A systemd unit without WorkingDirectory starts in /. With the working directory as content root, the
        // appsettings watchers (the host's and each embedded web server's) watched every directory under it: 3 x 42 000
        // inotify watches and 14 s to start here, and a crash where fs.inotify.max_user_watches is lower.
        var dataDir = DataDirInspector.NewDataDir();
        await using (var host = HostProcess.Start(dataDir, workingDirectory: "/"))
        {
            Assert.True(await host.WaitHealthyAsync(Ct), host.Output);
            Assert.InRange(InotifyWatches(host.ProcessId), 0, 1000);
        }

        DataDirInspector.Delete(dataDir);
    }

    /// <summary>Watches held by every inotify instance of the process (one "inotify wd:" line each in fdinfo).</summary>
    private static int InotifyWatches(int pid)
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            if (new FileInfo(fd).LinkTarget == "anon_inode:inotify")
            {
                count += File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}")
                    .Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
        }

        return count;
    }

    [Fact]
    public async Task KilledDuringRegeneration_NodeHasOldOrNewCertificateAndKey_NeverAMixOrNeither()
    {
        var dataDir = DataDirInspector.NewDataDir();
        await using (var first = HostProcess.Start(dataDir))
        {
            Assert.True(await first.WaitHealthyAsync(Ct), first.Output);
        }

        var (initial, _) = await DataDirInspector.ReadAsync(dataDir);

        // 1. A deterministic crash after the rows are written and before the transaction commits.
        await using (var crashing = HostProcess.Start(dataDir, new Dictionary<string, string?> { [EfSecurityStore.CrashBeforeCommitVariable] = "1" }))
        {
            Assert.True(await crashing.WaitHealthyAsync(Ct), crashing.Output);
            using var client = crashing.Client();
            await Assert.ThrowsAnyAsync<HttpRequestException>(
                () => client.PostAsync("/api/nodes/sbd-pub/certificates/CallManager/regenerate?confirm=true", null, Ct));
            Assert.NotEqual(0, await crashing.WaitForExitAsync(Ct));
        }

        var (afterCrash, historyAfterCrash) = await DataDirInspector.ReadAsync(dataDir);
        Assert.Equal(
            initial.Single(s => s.Name == "CallManager").Sha256,
            afterCrash.Single(s => s.Name == "CallManager").Sha256);
        Assert.All(afterCrash, s => Assert.True(s.KeyMatches, s.Name));
        Assert.Empty(historyAfterCrash);

        // 2. SIGKILL at arbitrary moments while regenerations run back to back.
        var random = new Random(20261127);
        for (var round = 0; round < 3; round++)
        {
            await using var host = HostProcess.Start(dataDir);
            Assert.True(await host.WaitHealthyAsync(Ct), host.Output);
            using var client = host.Client();
            using var stop = new CancellationTokenSource();
            var load = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await client.PostAsync("/api/nodes/sbd-pub/certificates/CallManager/regenerate?confirm=true", null, stop.Token);
                        await client.PostAsync("/api/nodes/sbd-pub/certificates/TVS/regenerate?confirm=true", null, stop.Token);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        return;
                    }
                }
            }, Ct);
            await Task.Delay(random.Next(300, 2500), Ct);
            await host.KillAsync();
            await stop.CancelAsync();
            await load;

            var (identities, history) = await DataDirInspector.ReadAsync(dataDir);
            Assert.Equal(DataDirInspector.ExpectedNames.Order(), identities.Select(s => s.Name).Order());
            Assert.All(identities, s => Assert.True(s.KeyMatches, $"round {round}: {s.Name} key does not match its certificate"));
            Assert.All(history, s => Assert.True(s.KeyMatches, $"round {round}: history {s.Name} key does not match"));
            Assert.DoesNotContain(identities, s => history.Any(h => h.Sha256 == s.Sha256));
        }

        await using (var last = HostProcess.Start(dataDir))
        {
            Assert.True(await last.WaitHealthyAsync(Ct), last.Output);
            using var client = last.Client();
            var list = JsonDocument.Parse(await client.GetStringAsync("/api/nodes/sbd-pub/certificates", Ct));
            var (identities, _) = await DataDirInspector.ReadAsync(dataDir);
            Assert.Equal(
                identities.Single(s => s.Name == "CallManager").Sha256,
                list.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "CallManager").GetProperty("sha256").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/nodes", Ct)).StatusCode);
        }

        DataDirInspector.Delete(dataDir);
    }
}
