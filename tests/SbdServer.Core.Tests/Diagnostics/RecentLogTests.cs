using SbdServer.Core.Capf;
using SbdServer.Core.Diagnostics;
using Xunit;

namespace SbdServer.Core.Tests.Diagnostics;

public sealed class RecentLogTests
{
    [Fact]
    public void Recent_AfterTheRingWrapped_NewestFirst_FilteredByDevice_TotalCountsAll()
    {
        var log = new RecentLog<string>(3, r => r.Split(':')[0]);
        foreach (var record in (string[])["a:1", "b:2", "a:3", "b:4", "a:5"])
        {
            log.Add(record);
        }

        Assert.Equal(["a:5", "b:4", "a:3"], log.Recent());
        Assert.Equal(["a:5", "a:3"], log.Recent("A"));
        Assert.Equal(["a:5"], log.Recent(max: 1));
        Assert.Equal((3, 5L), (log.Capacity, log.Total));
    }

    [Fact]
    public void CapfSessionLog_SessionsWithoutADevice_ListedButNeverMatchADeviceFilter()
    {
        var log = new CapfSessionLog(10);
        log.Add(Session(1, null));
        log.Add(Session(2, "SEP001122334455"));

        Assert.Equal([2u, 1u], log.Recent().Select(s => s.SessionId));
        Assert.Equal([2u], log.Recent("sep001122334455").Select(s => s.SessionId));
    }

    [Fact]
    public void Constructor_CapacityBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecentLog<string>(0, r => r));
    }

    private static CapfSessionRecord Session(uint id, string? device) => new(
        DateTimeOffset.UnixEpoch, "127.0.0.1", id, device, "Install", "-", CapfSessionOutcome.TimedOut, null, null, 1);
}
