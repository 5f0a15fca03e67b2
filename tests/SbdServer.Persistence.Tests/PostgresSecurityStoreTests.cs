using System.Collections.Concurrent;
using System.Diagnostics;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Events;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Persistence.Tests;

public sealed class PostgresSecurityStoreTests(PostgresTarget target) : SecurityStoreTests(target), IClassFixture<PostgresTarget>
{
    [Fact]
    public async Task TwoInstances_RegenerationOnOne_ReachesTheOthersSubscribersWithinASecond()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pair = await ListeningPair.StartAsync(target, ct);
        var (nodeA, nodeB) = (pair.Publisher, pair.Subscriber);
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

        await nodeA.Regeneration.RegenerateAsync("pub", "tomcat", null, confirm: false, "tester", ct);
        var committed = Stopwatch.GetTimestamp();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(5), ct);

        var (change, at) = seen.First(s => s.Change.Kind == CertificateStoreChangeKind.IdentityCertificateChanged);
        Assert.True(Stopwatch.GetElapsedTime(committed, at) < TimeSpan.FromSeconds(1));
        Assert.Equal("pub", change.Node);
        Assert.Equal("tomcat", change.Name);
        Assert.Equal(nodeA.Events.InstanceId, change.Origin);
        var state = await nodeB.Store.LoadAsync(ct);
        Assert.Equal(change.Sha256, state.Identities.Single(c => c.Name == "tomcat" && c.NodeId == state.FindNode("pub")!.Id).Sha256);
    }

    [Fact]
    public async Task ListenerConnectionCut_Reconnects_TellsSubscribersToReload_AndRelaysLaterChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pair = await ListeningPair.StartAsync(target, ct);
        var (nodeA, nodeB) = (pair.Publisher, pair.Subscriber);
        var ownCertificateReloads = 0;
        using var ownTvs = new LocalIdentityCertificateSource(
            nodeB.Queries, nodeB.Events, new LocalNodeOptions { Name = "sub1" }, CertificateStores.Tvs);
        ownTvs.Changed += (_, _) => Interlocked.Increment(ref ownCertificateReloads);
        var resynchronized = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var relayed = new TaskCompletionSource<CertificateStoreChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = nodeB.Events.Subscribe(c =>
        {
            if (c.Kind == CertificateStoreChangeKind.Resynchronized)
            {
                resynchronized.TrySetResult();
            }
            else if (c.Kind == CertificateStoreChangeKind.IdentityCertificateChanged)
            {
                relayed.TrySetResult(c);
            }
        });

        // What a PostgreSQL restart does to the LISTEN session (admin_shutdown).
        Assert.Equal(1, await PostgresSessions.TerminateListenersAsync(nodeB.Database.EffectiveConnectionString, ct));

        await resynchronized.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal(1, Volatile.Read(ref ownCertificateReloads)); // its TVS certificate may have been regenerated meanwhile
        Assert.False(relayed.Task.IsCompleted);
        await nodeA.Regeneration.RegenerateAsync("pub", "tomcat", null, confirm: false, "tester", ct);
        var change = await relayed.Task.WaitAsync(TimeSpan.FromSeconds(5), ct);
        Assert.Equal(("pub", "tomcat", nodeA.Events.InstanceId), (change.Node, change.Name, change.Origin));
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

    [Fact]
    public async Task SubscribersStartingTogether_AllJoin_TheLaterCommitsRetryOnAFreshRead()
    {
        // Every join adds the node to the Default group while it has room: concurrent joins race on its row version.
        var ct = TestContext.Current.CancellationToken;
        var database = await target.NewClusterAsync();
        var subscribers = Enumerable.Range(1, 4).Select(i => SecurityHarness.Create(database, node: $"sub{i}")).ToList();
        try
        {
            var outcomes = await Task.WhenAll(subscribers.Select(s => Task.Run(() => s.Bootstrapper.EnsureAsync(ct), ct)));

            Assert.All(outcomes, o => Assert.Equal(ClusterBootstrapper.Outcome.NodeJoined, o));
            var state = await subscribers[0].Store.LoadAsync(ct);
            Assert.Equal(5, state.Nodes.Count);
            var group = Assert.Single(state.Groups);
            Assert.Equal(3, group.NodeNames.Count);
            Assert.Equal(4, (await subscribers[0].Store.GetAuditAsync(100, ct)).Count(a => a.Action == "node.join"));
        }
        finally
        {
            subscribers.ForEach(s => s.Dispose());
        }
    }

    /// <summary>Nodes <c>pub</c> and <c>sub1</c> on a new cluster database, the subscriber listening for changes.</summary>
    private sealed class ListeningPair : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly Task _listening;

        private ListeningPair(SecurityHarness publisher, SecurityHarness subscriber, CancellationTokenSource stop, Task listening)
        {
            (Publisher, Subscriber, _stop, _listening) = (publisher, subscriber, stop, listening);
        }

        public SecurityHarness Publisher { get; }

        public SecurityHarness Subscriber { get; }

        public static async Task<ListeningPair> StartAsync(DatabaseTarget target, CancellationToken ct)
        {
            var database = await target.NewClusterAsync();
            var publisher = SecurityHarness.Create(database, node: "pub");
            var subscriber = SecurityHarness.Create(database, node: "sub1");
            await subscriber.Bootstrapper.EnsureAsync(ct);
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var pair = new ListeningPair(publisher, subscriber, stop, subscriber.Listener.RunAsync(stop.Token));
            await subscriber.Listener.Listening.WaitAsync(TimeSpan.FromSeconds(10), ct);
            return pair;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _listening;
            _stop.Dispose();
            Subscriber.Dispose();
            Publisher.Dispose();
        }
    }
}
