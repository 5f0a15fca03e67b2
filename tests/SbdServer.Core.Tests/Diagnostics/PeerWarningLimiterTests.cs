using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SbdServer.Core.Diagnostics;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Core.Tests.Diagnostics;

public class PeerWarningLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");

    [Fact]
    public void OnePeer_GetsPerPeerLines_ThenOneSummaryAtTheWindowEnd()
    {
        var clock = new FakeTimeProvider();
        var summaries = new List<PeerWarningSummary>();
        using var limiter = new PeerWarningLimiter("tvs", clock, new PeerWarningOptions { PerPeer = 5 }, summaries.Add);

        var written = Enumerable.Range(0, 500).Count(_ => limiter.ShouldLog("protocol", A));

        Assert.Equal(5, written);
        Assert.Empty(summaries);
        clock.Advance(TimeSpan.FromSeconds(60)); // the timer fires
        var summary = Assert.Single(summaries);
        Assert.Equal(("tvs", "protocol", A, 495L, 60), (summary.Listener, summary.Kind, summary.Peer, summary.Suppressed, summary.WindowSeconds));
        Assert.Equal(500, limiter.Events("protocol"));
        Assert.Equal(495, limiter.Suppressed("protocol"));

        Assert.True(limiter.ShouldLog("protocol", A), "a new window writes again");
    }

    [Fact]
    public void KindsAndPeers_AreLimitedApart()
    {
        var clock = new FakeTimeProvider();
        using var limiter = new PeerWarningLimiter("tvs", clock, new PeerWarningOptions { PerPeer = 2 }, startTimer: false);

        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => limiter.ShouldLog("protocol", A)));
        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => limiter.ShouldLog("handshake_failed", A)));
        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => limiter.ShouldLog("protocol", B)));
        Assert.False(limiter.ShouldLog("protocol", B.MapToIPv6()), "an IPv4-mapped address is the same peer");
    }

    [Fact]
    public void ManyPeers_AreCappedPerKind_AndSummariesAreBounded()
    {
        var clock = new FakeTimeProvider();
        var summaries = new List<PeerWarningSummary>();
        var options = new PeerWarningOptions { PerPeer = 1, PerKind = 20, MaxSummariesPerKind = 3, MaxTrackedPeers = 100 };
        using var limiter = new PeerWarningLimiter("tftp", clock, options, summaries.Add, startTimer: false);

        var written = 0;
        for (var i = 0; i < 1000; i++)
        {
            var peer = new IPAddress([10, 0, (byte)(i / 250), (byte)(i % 250)]);
            written += limiter.ShouldLog("malformed", peer) ? 1 : 0;
            written += limiter.ShouldLog("malformed", peer) ? 1 : 0;
        }

        Assert.Equal(20, written);
        clock.Advance(TimeSpan.FromSeconds(61));
        limiter.Flush();
        Assert.Equal(4, summaries.Count);
        Assert.Equal(2000 - 20, summaries.Sum(s => s.Suppressed));
        var rest = summaries[^1];
        Assert.Null(rest.Peer);
        Assert.Contains("other addresses", rest.PeerText, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_RendersBothFamilies_SummedPerListenerAndKind()
    {
        var clock = new FakeTimeProvider();
        using var registry = new PeerWarnings(clock);
        using var first = registry.Create("tvs", _ => { }, new PeerWarningOptions { PerPeer = 1 });
        using var second = registry.Create("tvs", _ => { }, new PeerWarningOptions { PerPeer = 1 });
        for (var i = 0; i < 3; i++)
        {
            first.ShouldLog("protocol", A);
            second.ShouldLog("protocol", A);
        }

        var instruments = MeterSnapshot.Read(registry.Meter);

        Assert.Equal(6, instruments["sbd_peer_warnings{listener=\"tvs\",kind=\"protocol\"}"]);
        Assert.Equal(4, instruments["sbd_peer_warnings_suppressed{listener=\"tvs\",kind=\"protocol\"}"]);
        Assert.Equal(6, registry.Events("tvs", "protocol"));
        Assert.Equal(4, registry.Suppressed("tvs", "protocol"));
    }

    [Theory]
    [InlineData("Bad-Kind")]
    [InlineData("")]
    [InlineData("kind\"} 1\nfake")]
    public void LabelsOutsideTheSafeAlphabet_AreRefused(string kind)
    {
        using var limiter = new PeerWarningLimiter("tvs", new FakeTimeProvider(), startTimer: false);
        Assert.Throws<ArgumentException>(() => limiter.ShouldLog(kind, A));
    }
}
