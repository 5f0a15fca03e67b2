using System.Text.Json;
using SbdServer.Tftp.Tests.Infrastructure;
using Xunit;

namespace SbdServer.Tftp.Tests;

[CollectionDefinition(nameof(LoadCollection), DisableParallelization = true)]
public sealed class LoadCollection : ICollectionFixture<LoadTree>;

/// <summary>The acceptance runs of ../shared/bench/tftp_load.py against the static root, each with 0 failures.</summary>
[Collection(nameof(LoadCollection))]
public sealed class LoadTests(LoadTree tree) : IAsyncLifetime
{
    private TftpTestServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await TftpTestServer.StartAsync(s => s["Tftp:Root"] = tree.Root);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task BootStorm_1000PhonesConcurrency200_NoFailures()
    {
        var s = await LoadRun.RunAsync(tree, _server.Port, "--phones", "1000", "--concurrency", "200");
        AssertClean(s, 4000);
        Assert.Equal(1000, s.GetProperty("files_notfound_expected").GetInt32()); // CTLSEP: non-secure cluster
    }

    [Fact]
    public async Task BootStorm_Blksize1428Tsize_NoFailures()
    {
        var s = await LoadRun.RunAsync(tree, _server.Port,
            "--phones", "1000", "--concurrency", "200", "--blksize", "1428", "--tsize");
        AssertClean(s, 4000);
    }

    [Fact]
    public async Task DuplicateAcks_NoDuplicateData()
    {
        var s = await LoadRun.RunAsync(tree, _server.Port, "--phones", "200", "--concurrency", "50", "--dup-ack");
        AssertClean(s, 800);
        Assert.Equal(0, s.GetProperty("dup_data_rx").GetInt32());
        Assert.Equal(0, s.GetProperty("sas_suspect_dup_after_dup_ack").GetInt32());
        Assert.True(_server.Metrics.DuplicateAcksIgnored > 0, "the server saw and ignored the duplicate ACKs");
    }

    [Fact]
    public async Task DropRate1Percent_Completes()
    {
        var s = await LoadRun.RunAsync(tree, _server.Port,
            "--phones", "200", "--concurrency", "50", "--drop-rate", "0.01", "--timeout", "2");
        AssertClean(s, 800);
        Assert.True(s.GetProperty("dropped_on_purpose").GetInt32() > 0);
        Assert.True(_server.Metrics.Retransmits > 0, "lost packets were recovered by server retransmission");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public async Task BigFile_AcrossBlockRollover_Intact(int window)
    {
        string[] args = ["--files", "big_rollover.bin", "--phones", "1", "--concurrency", "1", "--tsize"];
        if (window > 0)
        {
            args = [.. args, "--windowsize", window.ToString()];
        }

        var s = await LoadRun.RunAsync(tree, _server.Port, args);
        AssertClean(s, 1);
        Assert.Equal(LoadTree.BigFileBytes, s.GetProperty("bytes_ok").GetInt64());
    }

    [Fact]
    public async Task Ipv6Loopback_Works()
    {
        var s = await LoadRun.RunAsync(tree, _server.Port,
            "--host", "::1", "--phones", "200", "--concurrency", "50", "--blksize", "1428", "--tsize");
        AssertClean(s, 800);
    }

    [Fact]
    public async Task Http6970_ServesTheSameTree()
    {
        var s = await LoadRun.RunAsync(tree, _server.HttpPort,
            "--proto", "http", "--phones", "200", "--concurrency", "50");
        AssertClean(s, 800);
    }

    private static void AssertClean(JsonElement s, int files)
    {
        Assert.True(s.GetProperty("files_failed").GetInt32() == 0, s.ToString());
        Assert.Equal(0, s.GetProperty("phones_not_finished").GetInt32());
        Assert.Equal(files, s.GetProperty("files_total").GetInt32());
        Assert.False(s.GetProperty("hit_time_limit").GetBoolean());
    }
}
