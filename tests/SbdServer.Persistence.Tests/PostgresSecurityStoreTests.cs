using System.Collections.Concurrent;
using System.Diagnostics;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;
using Xunit;

namespace SbdServer.Persistence.Tests;

public sealed class PostgresSecurityStoreTests(PostgresTarget target) : SecurityStoreTests(target), IClassFixture<PostgresTarget>
{
    [Fact]
    public async Task TwoInstances_RegenerationOnOne_ReachesTheOthersSubscribersWithinASecond()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await target.NewClusterAsync();
        using var nodeA = SecurityHarness.Create(database, node: "pub");
        using var nodeB = SecurityHarness.Create(database, node: "sub1");
        await nodeB.Bootstrapper.EnsureAsync(ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var listening = nodeB.Listener.RunAsync(stop.Token);
        await nodeB.Listener.Listening.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var seen = new ConcurrentQueue<(CertificateStoreChange Change, long At)>();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = nodeB.Events.Subscribe(c =>
        {
            seen.Enqueue((c, Stopwatch.GetTimestamp()));
            if (c.Kind == CertificateStoreChangeKind.IdentityCertificateChanged)
            {
                arrived.TrySetResult();
            }
        });

        await nodeA.Manager.RegenerateAsync("pub", "tomcat", null, confirm: false, "tester", ct);
        var committed = Stopwatch.GetTimestamp();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(5), ct);

        var (change, at) = seen.First(s => s.Change.Kind == CertificateStoreChangeKind.IdentityCertificateChanged);
        Assert.True(Stopwatch.GetElapsedTime(committed, at) < TimeSpan.FromSeconds(1));
        Assert.Equal("pub", change.Node);
        Assert.Equal("tomcat", change.Name);
        Assert.Equal(nodeA.Events.InstanceId, change.Origin);
        var state = await nodeB.Store.LoadAsync(ct);
        Assert.Equal(change.Sha256, state.Identities.Single(c => c.Name == "tomcat" && c.NodeId == state.FindNode("pub")!.Id).Sha256);

        await stop.CancelAsync();
        await listening;
    }

    [Fact]
    public async Task TwoNodes_FirstStartAtTheSameTimeOnAnEmptyDatabase_OneCreatesTheOtherJoins()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await target.NewDatabaseAsync();
        using var pub = SecurityHarness.Create(database, node: "pub");
        using var sub = SecurityHarness.Create(database, node: "sub1");

        var outcomes = await Task.WhenAll(
            Task.Run(() => pub.Bootstrapper.EnsureAsync(ct), ct),
            Task.Run(() => sub.Bootstrapper.EnsureAsync(ct), ct));

        Assert.Equal(
            [ClusterBootstrapper.Outcome.ClusterCreated, ClusterBootstrapper.Outcome.NodeJoined],
            outcomes.Order());
        var state = await pub.Store.LoadAsync(ct);
        Assert.Equal(2, state.Nodes.Count);
        Assert.Single(state.Nodes, n => n.IsPublisher);
        Assert.Single(state.Identities, c => c.Name == "ITLRecovery");
        Assert.Equal(11, state.Identities.Count);
    }
}
