using System.Text.RegularExpressions;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Storage;
using Xunit;

namespace SbdServer.Persistence.Tests;

/// <summary>
/// Two service stacks ("nodes") on one database, once per provider, writing at the same moment through the one write
/// path (docs/adr/0003-cluster-writes.md): no lost update, no mixed state. Each race is forced with pauses at the exact
/// point between a read and the commit based on it, so the tests do not depend on timing.
/// </summary>
public abstract partial class ClusterWriteRaceTests(DatabaseTarget target)
{
    private const string Phone = "SEP00112233AA01";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoNodesEditOneDevice_BothReadBeforeEitherCommits_NoEditIsLost()
    {
        var database = await target.NewClusterAsync();
        using var nodeA = SecurityHarness.Create(database, node: "pub");
        using var nodeB = SecurityHarness.Create(database, node: "sub1");
        await nodeA.Get<DeviceManager>().CreateAsync(new DeviceSpec(Phone, "8861", "SIP", "lobby", null, null, null), "tester", Ct);

        var bothRead = new Rendezvous(2);
        var readsA = new PausingDeviceStore(nodeA.Get<IDeviceStore>()) { AfterFind = bothRead.ArriveAsync };
        var readsB = new PausingDeviceStore(nodeB.Get<IDeviceStore>()) { AfterFind = bothRead.ArriveAsync };
        var managerA = nodeA.Create<DeviceManager>(readsA);
        var managerB = nodeB.Create<DeviceManager>(readsB);

        // Different fields, so a whole-row write of either read loses the other's edit.
        var editA = Task.Run(() => Outcome(managerA.UpdateAsync(Phone, new DeviceSpec(null, null, null, "edited on A", null, null, null), "alice", Ct)), Ct);
        var editB = Task.Run(() => Outcome(managerB.UpdateAsync(Phone, new DeviceSpec(null, null, "SCCP", null, null, null, null), "bob", Ct)), Ct);
        var outcomes = await Task.WhenAll(editA, editB);

        var stored = (await nodeA.Get<IDeviceStore>().FindAsync(Phone, Ct))!;
        Assert.Contains(outcomes, o => o is null);
        Assert.All(outcomes, o => Assert.True(o is null or WriteConflictException, $"unexpected {o}"));
        if (outcomes[0] is null)
        {
            Assert.Equal("edited on A", stored.Description);
        }

        if (outcomes[1] is null)
        {
            Assert.Equal(DeviceProtocol.Sccp, stored.Protocol);
        }

        // Only what was applied is on record.
        var updates = (await nodeA.Store.GetAuditAsync(1000, Ct)).Count(a => a is { Action: "device.update", Target: Phone });
        Assert.Equal(outcomes.Count(o => o is null), updates);
        var conflict = outcomes.OfType<WriteConflictException>().SingleOrDefault();
        if (conflict is not null)
        {
            Assert.Contains("another administrator or node", conflict.Message, StringComparison.Ordinal);
            Assert.Contains(WriteConflictException.Advice, conflict.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DeviceEditedWhileARegenerationResetsIt_TheResetIsNotLost()
    {
        var database = await target.NewClusterAsync();
        using var nodeA = SecurityHarness.Create(database, node: "pub");
        using var nodeB = SecurityHarness.Create(database, node: "sub1");
        await nodeA.Parameters.SetParameterAsync("PhoneInteractionOnCertificateUpdate", "ResetAutomatically", "tester", Ct);
        await nodeA.Get<DeviceManager>().CreateAsync(new DeviceSpec(Phone, "8861", "SIP", "lobby", null, null, null), "tester", Ct);
        var regenerations = nodeA.Create<CertificateRegeneration>(
            nodeA.Create<DeviceImpact>(new StorePlanDevices(nodeA.Get<IDeviceStore>())));

        // B reads the device, then A's regeneration (a new TVS certificate changes every phone's ITL) marks it for
        // reset and commits, then B commits its edit.
        var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var regenerated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readsB = new PausingDeviceStore(nodeB.Get<IDeviceStore>())
        {
            AfterFind = async () =>
            {
                read.TrySetResult();
                await regenerated.Task.WaitAsync(TimeSpan.FromSeconds(60));
            },
        };
        var managerB = nodeB.Create<DeviceManager>(readsB);
        var edit = Task.Run(() => Outcome(managerB.UpdateAsync(Phone, new DeviceSpec(null, null, null, "edited during regeneration", null, null, null), "bob", Ct)), Ct);
        await read.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Core.Impact.ImpactReport regeneration;
        try
        {
            regeneration = await regenerations.RegenerateAsync("pub", "TVS", KeyAlgorithm.EcP256, confirm: true, "alice", Ct);
        }
        finally
        {
            regenerated.TrySetResult();
        }

        var outcome = await edit;
        Assert.Contains(Phone, regeneration.ResetDevices);
        var stored = (await nodeA.Get<IDeviceStore>().FindAsync(Phone, Ct))!;
        Assert.True(stored.ResetRequestedAt is not null, "the regeneration's reset request was overwritten by the edit");
        Assert.True(outcome is null or WriteConflictException, $"unexpected {outcome}");
        Assert.Equal(outcome is null ? "edited during regeneration" : "lobby", stored.Description);
    }

    [Fact]
    public async Task RegenerationRacingARestore_TheResultIsEntirelyOneOrTheOther_HistoryComplete()
    {
        var database = await target.NewClusterAsync();
        using var nodeA = SecurityHarness.Create(database, node: "pub");
        using var nodeB = SecurityHarness.Create(database, node: "sub1");
        var archive = await nodeA.Backups.CreateAsync("tester", Ct);
        var archived = await nodeA.Store.LoadAsync(Ct);
        await nodeA.Regeneration.RegenerateAsync("pub", "TVS", KeyAlgorithm.EcP256, confirm: true, "tester", Ct);

        // B's regeneration has decided (read the state, minted the new certificate) and waits before its commit while
        // A restores the archive; then B may go on.
        var decided = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var storeB = new PausingSecurityStore(nodeB.Store)
        {
            BeforeCommit = async () =>
            {
                decided.TrySetResult();
                await go.Task.WaitAsync(TimeSpan.FromSeconds(60));
            },
        };
        using var unitB = nodeB.Create<SecurityUnitOfWork>(storeB);
        var managerB = nodeB.Create<CertificateRegeneration>(
            unitB, nodeB.Create<IdentityMint>(unitB), nodeB.Create<DeviceImpact>(unitB));
        var regeneration = Task.Run(() => managerB.RegenerateAsync("pub", "TVS", KeyAlgorithm.EcP256, confirm: true, "bob", Ct), Ct);
        await decided.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var restore = Task.Run(() => nodeA.Backups.RestoreAsync(archive, "alice", Ct), Ct);

        // Give a restore that does not wait for B's unit the time to finish first (it needs well under a second).
        await Task.WhenAny(restore, Task.Delay(TimeSpan.FromSeconds(3), Ct));
        go.TrySetResult();
        await Task.WhenAll(regeneration, restore);
        storeB.BeforeCommit = null;

        var after = await nodeA.Store.LoadAsync(Ct);
        var pub = after.FindNode("pub")!;
        var audit = (await nodeA.Store.GetAuditAsync(10_000, Ct)).OrderBy(a => a.Id).ToList();
        var restoredAt = audit.FindLastIndex(a => a.Action == "backup.restore");
        Assert.True(restoredAt >= 0);

        // Every certificate is the archive's, except what regenerations recorded after the restore changed, and those
        // form one chain starting at the archive's certificate.
        var steps = audit.Skip(restoredAt + 1)
            .Where(a => a is { Action: "certificate.regenerate", Target: "pub/TVS" })
            .Select(Step)
            .ToList();
        var expected = archived.FindIdentity(archived.FindNode("pub")!, "TVS")!.Sha256;
        foreach (var (from, to) in steps)
        {
            Assert.Equal(expected, from);
            expected = to;
        }

        Assert.Equal(expected, after.FindIdentity(pub, "TVS")!.Sha256);
        foreach (var identity in after.Identities.Where(i => !(i.NodeId == pub.Id && i.Name == "TVS")))
        {
            Assert.Equal(archived.Identities.Single(i => i.Id == identity.Id).Sha256, identity.Sha256);
        }

        // History: the archive's, plus each certificate a regeneration after the restore replaced, with its key.
        var history = await nodeA.Store.GetHistoryAsync(Ct);
        foreach (var (from, _) in steps)
        {
            Assert.Single(history, h => h.Sha256 == from && h.ProtectedKey.Length > 0);
        }

        Assert.Equal(archived.Identities.Count, after.Identities.Count);
    }

    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (DomainException ex)
        {
            return ex;
        }
    }

    private static (string From, string To) Step(Core.Audit.AuditEntry entry)
    {
        var match = StepPattern().Match(entry.Details);
        Assert.True(match.Success, entry.Details);
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    [GeneratedRegex("SHA-256 ([0-9a-fA-F]{64}) -> ([0-9a-fA-F]{64})")]
    private static partial Regex StepPattern();
}

public sealed class PostgresClusterWriteRaceTests(PostgresTarget target) : ClusterWriteRaceTests(target), IClassFixture<PostgresTarget>;

public sealed class SqliteClusterWriteRaceTests(SqliteTarget target) : ClusterWriteRaceTests(target), IClassFixture<SqliteTarget>;
