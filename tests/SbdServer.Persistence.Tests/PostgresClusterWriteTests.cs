using System.Text.RegularExpressions;
using SbdServer.Core.Audit;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;
using SbdServer.Core.Storage;
using SbdServer.Persistence.Stores;
using Xunit;

namespace SbdServer.Persistence.Tests;

/// <summary>
/// Two service instances ("nodes") on one real PostgreSQL database writing at the same moment: load-decide-commit
/// units are serialised by the cluster write lock (docs/adr/0003-cluster-writes.md).
/// </summary>
public sealed partial class PostgresClusterWriteTests(PostgresTarget target) : IClassFixture<PostgresTarget>
{
    private const int Rounds = 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BothNodesRegenerateTheSameCertificate20TimesAtOnce_OneLinearHistory_NothingLost()
    {
        var database = await target.NewClusterAsync();
        using var nodeA = SecurityHarness.Create(database, node: "pub");
        using var nodeB = SecurityHarness.Create(database, node: "sub1");
        var before = await nodeA.Store.LoadAsync(Ct);
        var pub = before.FindNode("pub")!;
        var initial = before.FindIdentity(pub, "TVS")!.Sha256;
        var historyBefore = (await nodeA.Store.GetHistoryAsync(Ct)).Count;

        using var start = new SemaphoreSlim(0);
        async Task RegenerateManyAsync(SecurityHarness node)
        {
            await start.WaitAsync(Ct);
            for (var i = 0; i < Rounds; i++)
            {
                await node.Regeneration.RegenerateAsync("pub", "TVS", KeyAlgorithm.EcP256, confirm: true, "tester", Ct);
            }
        }

        var runs = new[] { Task.Run(() => RegenerateManyAsync(nodeA), Ct), Task.Run(() => RegenerateManyAsync(nodeB), Ct) };
        start.Release(2);
        await Task.WhenAll(runs);

        var after = await nodeB.Store.LoadAsync(Ct);
        Assert.All(after.Identities.GroupBy(c => (c.NodeId, c.Name)), g => Assert.Single(g));
        var current = after.FindIdentity(pub, "TVS")!;

        // Every regeneration replaced the certificate the previous one wrote: one chain, initial -> current.
        var audit = (await nodeA.Store.GetAuditAsync(10_000, Ct))
            .Where(a => a is { Action: "certificate.regenerate", Target: "pub/TVS" })
            .ToList();
        Assert.Equal(2 * Rounds, audit.Count);
        var steps = audit.Select(Step).ToDictionary(s => s.From, s => s.To);
        Assert.Equal(2 * Rounds, steps.Count);
        var chain = new List<string> { initial };
        while (steps.TryGetValue(chain[^1], out var next))
        {
            chain.Add(next);
        }

        Assert.Equal(2 * Rounds + 1, chain.Count);
        Assert.Equal(current.Sha256, chain[^1]);
        Assert.Equal(chain.Count, chain.Distinct(StringComparer.Ordinal).Count());

        // History holds each replaced certificate exactly once, each with its own key.
        var history = (await nodeA.Store.GetHistoryAsync(Ct)).Where(h => h.NodeId == pub.Id && h.Name == "TVS").ToList();
        Assert.Equal(historyBefore + (2 * Rounds), (await nodeA.Store.GetHistoryAsync(Ct)).Count);
        Assert.Equal(chain[..^1].Order(StringComparer.Ordinal), history.Select(h => h.Sha256).Order(StringComparer.Ordinal));
        Assert.Equal(history.Count, history.Select(h => Convert.ToBase64String(h.ProtectedKey)).Distinct(StringComparer.Ordinal).Count());

        // The pending-ITL marker is recorded once, not once per node.
        Assert.Single(after.PendingItlChanges, p => p.NodeId == pub.Id && p.CertificateName == "TVS");
    }

    [Fact]
    public async Task CallManagerOnOneNodeAndTvsOnTheOther_AtTheSameMoment_TheSecondNeedsConfirmation()
    {
        var database = await target.NewClusterAsync();
        using var nodeA = SecurityHarness.Create(database, node: "pub");
        using var nodeB = SecurityHarness.Create(database, node: "sub1");
        await nodeA.Parameters.SetParameterAsync("ItlSignerMode", "CallManager", "tester", Ct);

        // Single node in CallManager signer mode: CallManager and TVS "together" lock phones out, so of two
        // simultaneous unconfirmed requests exactly one may pass; each round starts from a propagated ITL.
        for (var round = 0; round < 5; round++)
        {
            await nodeA.Itl.MarkItlPropagatedAsync("pub", "tester", Ct);
            using var start = new SemaphoreSlim(0);
            async Task<bool> TryAsync(SecurityHarness node, string name)
            {
                await start.WaitAsync(Ct);
                try
                {
                    await node.Regeneration.RegenerateAsync("pub", name, KeyAlgorithm.EcP256, confirm: false, "tester", Ct);
                    return true;
                }
                catch (ConfirmationRequiredException)
                {
                    return false;
                }
            }

            var callManager = Task.Run(() => TryAsync(nodeA, "CallManager"), Ct);
            var tvs = Task.Run(() => TryAsync(nodeB, "TVS"), Ct);
            start.Release(2);
            var outcomes = await Task.WhenAll(callManager, tvs);
            Assert.Single(outcomes, applied => applied);
        }
    }

    [Fact]
    public async Task UnitWaitsForTheOtherNode_AndGivesUpWithClusterBusy_NothingChanged()
    {
        var database = await target.NewClusterAsync();
        using var nodeA = SecurityHarness.Create(database, node: "pub");
        using var nodeB = SecurityHarness.Create(database, node: "sub1");
        ((EfSecurityStore)nodeB.Store).WriteLockTimeout = TimeSpan.FromMilliseconds(300);
        var before = await nodeB.Store.LoadAsync(Ct);
        var auditBefore = (await nodeB.Store.GetAuditAsync(10_000, Ct)).Count;

        var held = await nodeA.Store.AcquireWriteLockAsync(Ct);
        var ex = await Assert.ThrowsAsync<ClusterBusyException>(
            () => nodeB.Regeneration.RegenerateAsync("pub", "tomcat", null, confirm: true, "tester", Ct));
        Assert.Contains("retry", ex.Message, StringComparison.Ordinal);

        // A commit outside a unit (device, backup, first start) queues behind the unit instead of failing.
        var queued = nodeB.Store.CommitAsync(new SecurityChangeSet { Audit = { Entry("test.queued") } }, Ct);
        await Task.Delay(500, Ct);
        Assert.False(queued.IsCompleted);
        await nodeA.Store.CommitAsync(new SecurityChangeSet { Audit = { Entry("test.unit") } }, Ct);
        Assert.False(queued.IsCompleted);
        await held.DisposeAsync();
        await queued.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        var after = await nodeB.Store.LoadAsync(Ct);
        Assert.Equal(Tomcat(before), Tomcat(after));
        var audit = await nodeB.Store.GetAuditAsync(10_000, Ct);
        Assert.Equal(auditBefore + 2, audit.Count);
        Assert.Contains(audit, a => a.Action == "test.queued");
        Assert.Contains(audit, a => a.Action == "test.unit");
        Assert.DoesNotContain(audit, a => a.Action == "certificate.regenerate" && a.Target == "pub/tomcat");

        // The lock is free again: the same node can now write.
        await nodeB.Regeneration.RegenerateAsync("pub", "tomcat", KeyAlgorithm.EcP256, confirm: true, "tester", Ct);
    }

    [Fact]
    public async Task KilledHolder_ReleasesTheLock()
    {
        var database = await target.NewClusterAsync();
        using var nodeA = SecurityHarness.Create(database, node: "pub");
        using var nodeB = SecurityHarness.Create(database, node: "sub1");
        ((EfSecurityStore)nodeB.Store).WriteLockTimeout = TimeSpan.FromSeconds(20);
        var held = await nodeA.Store.AcquireWriteLockAsync(Ct);

        // A node that dies mid-unit: its server session ends and takes the advisory lock with it.
        await using (var admin = new Npgsql.NpgsqlConnection(database.EffectiveConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var kill = new Npgsql.NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() " +
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", admin);
            Assert.Equal(true, await kill.ExecuteScalarAsync(Ct));
        }

        await nodeB.Regeneration.RegenerateAsync("pub", "tomcat", KeyAlgorithm.EcP256, confirm: true, "tester", Ct);

        // The unit whose connection died must not commit: another node may have written meanwhile.
        await Assert.ThrowsAsync<ClusterBusyException>(
            () => nodeA.Store.CommitAsync(new SecurityChangeSet { Audit = { Entry("test.late") } }, Ct));
        await held.DisposeAsync();
        Assert.DoesNotContain(await nodeA.Store.GetAuditAsync(10_000, Ct), a => a.Action == "test.late");
    }

    private static AuditEntry Entry(string action) =>
        new() { Id = Guid.CreateVersion7(), At = DateTimeOffset.UtcNow, Actor = "tester", Action = action, Target = "pub" };

    private static string Tomcat(SecuritySnapshot state) => state.FindIdentity(state.FindNode("pub")!, "tomcat")!.Sha256;

    private static (string From, string To) Step(AuditEntry entry)
    {
        var match = StepPattern().Match(entry.Details);
        Assert.True(match.Success, entry.Details);
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    [GeneratedRegex("SHA-256 ([0-9a-fA-F]{64}) -> ([0-9a-fA-F]{64})")]
    private static partial Regex StepPattern();
}
