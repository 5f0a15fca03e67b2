using SbdServer.Core.Audit;
using SbdServer.Core.Errors;
using SbdServer.Core.Storage;
using SbdServer.Persistence.Stores;
using Xunit;

namespace SbdServer.Persistence.Tests;

/// <summary>
/// Two service stacks on one SQLite file (two processes' worth of connections): a unit is a real single writer, held
/// from before its read to after its commit (docs/adr/0003-cluster-writes.md).
/// </summary>
public sealed class SqliteClusterWriteTests(SqliteTarget target) : IClassFixture<SqliteTarget>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnitOnOneStack_MakesTheOthersUnitGiveUp_AndQueuesItsCommit()
    {
        var database = await target.NewClusterAsync();
        using var stackA = SecurityHarness.Create(database, node: "pub");
        using var stackB = SecurityHarness.Create(database, node: "pub");
        ((EfSecurityStore)stackB.Store).WriteLockTimeout = TimeSpan.FromMilliseconds(300);
        var before = await stackB.Store.LoadAsync(Ct);
        var auditBefore = (await stackB.Store.GetAuditAsync(10_000, Ct)).Count;

        var held = await stackA.Store.AcquireWriteLockAsync(Ct);
        await Assert.ThrowsAsync<ClusterBusyException>(
            () => Task.Run(() => stackB.Regeneration.RegenerateAsync("pub", "tomcat", null, confirm: true, "tester", Ct), Ct));

        // A commit outside a unit (a device edit, a served-file record) waits for the unit instead of failing.
        var queued = Task.Run(() => stackB.Store.CommitAsync(new SecurityChangeSet { Audit = { Entry("test.queued") } }, Ct), Ct);
        await Task.Delay(500, Ct);
        Assert.False(queued.IsCompleted);

        // The unit's own commit does not wait for itself.
        await stackA.Store.CommitAsync(new SecurityChangeSet { Audit = { Entry("test.unit") } }, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await held.DisposeAsync();
        await queued.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        var after = await stackB.Store.LoadAsync(Ct);
        Assert.Equal(Tomcat(before), Tomcat(after));
        var audit = await stackB.Store.GetAuditAsync(10_000, Ct);
        Assert.Equal(auditBefore + 2, audit.Count);
        Assert.DoesNotContain(audit, a => a.Action == "certificate.regenerate" && a.Target == "pub/tomcat");
        await stackB.Regeneration.RegenerateAsync("pub", "tomcat", Core.Certificates.KeyAlgorithm.EcP256, confirm: true, "tester", Ct);
    }

    [Fact]
    public async Task UnitThatFailsBeforeItsCommit_WritesNothing_AndFreesTheLock()
    {
        var database = await target.NewClusterAsync();
        using var stackA = SecurityHarness.Create(database, node: "pub");
        using var stackB = SecurityHarness.Create(database, node: "pub");
        var auditBefore = (await stackA.Store.GetAuditAsync(10_000, Ct)).Count;

        await using (await stackA.Store.AcquireWriteLockAsync(Ct))
        {
            // The unit decides, then fails: its lock goes with it and nothing of it is kept.
        }

        await stackB.Store.CommitAsync(new SecurityChangeSet { Audit = { Entry("test.after") } }, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(auditBefore + 1, (await stackA.Store.GetAuditAsync(10_000, Ct)).Count);
    }

    private static AuditEntry Entry(string action) =>
        new() { Id = Guid.CreateVersion7(), At = DateTimeOffset.UtcNow, Actor = "tester", Action = action, Target = "pub" };

    private static string Tomcat(SecuritySnapshot state) => state.FindIdentity(state.FindNode("pub")!, "tomcat")!.Sha256;
}
