using Xunit;

namespace SbdServer.Phone.Tests;

/// <summary>
/// A single node's certificates regenerated under a booted phone (cucm-reference.md scenarios 7, 9 and 11); each
/// test gets its own node because the change is the point.
/// </summary>
public sealed class RegenerationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sbd-phone-regen-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<NodeFactory> NodeAsync(string signerMode, string mac)
    {
        var node = new NodeFactory();
        await node.InitializeAsync();
        await node.SetParameterAsync("ItlSignerMode", signerMode);
        await node.CreateDeviceAsync("SEP" + mac);
        return node;
    }

    [Fact]
    public async Task CallManagerSigner_CallManagerAndTvsTogether_LockThePhone_ThroughTheCli()
    {
        const string Mac = "0A1B2C000101";
        await using var node = await NodeAsync("CallManager", Mac);
        var resolve = node.Resolve.SelectMany(r => new[] { "--resolve", r }).ToArray();
        string[] boot = ["phone", "boot", "--tftp", $"127.0.0.1:{node.TftpPort}", "--http-port", node.HttpPort.ToString(),
            "--mac", Mac, "--state", Path.Combine(_root, Mac), "--model", "8861", .. resolve];

        var first = await PhoneBootTests.Sbd(boot);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("STATUS: ITL installed", first.Output, StringComparison.Ordinal);

        await node.RegenerateAsync("CallManager");
        await node.RegenerateAsync("TVS");
        var locked = await PhoneBootTests.Sbd(boot);

        Assert.True(locked.ExitCode == 1, locked.Output);
        Assert.Contains("verifyCertWithHashFromTL: cert hash and hash in TL MISMATCH", locked.Output, StringComparison.Ordinal);
        Assert.EndsWith("STATUS: Trust List Update Failed", locked.Output.Split("sbd phone:")[0].TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallManagerSigner_OnlyCallManager_TvsVouchesForTheNewSigner()
    {
        const string Mac = "0A1B2C000102";
        await using var node = await NodeAsync("CallManager", Mac);
        var phone = new EmulatedPhone(Path.Combine(_root, Mac), node.Phone(Mac));
        var first = await phone.BootAsync(Ct);
        Assert.True(first.Accepted, string.Join('\n', first.Log));

        await node.RegenerateAsync("CallManager");
        var after = await phone.BootAsync(Ct);

        Assert.True(after.Accepted, string.Join('\n', after.Log));
        Assert.Equal("Trust List updated", after.Status);
        Assert.Equal($"{NodeFactory.Fqdn}:2445", Assert.Single(after.TvsAnswered));
        Assert.NotEqual(first.Itl, after.Itl);
        Assert.Equal(TrustListHashes.Of(await node.ServedAsync($"ITLSEP{Mac}.tlv")), after.Itl);
    }

    [Fact]
    public async Task ItlRecoverySigner_CallManagerAndTvsTogether_AreSurvivedWithoutTvs()
    {
        const string Mac = "0A1B2C000103";
        await using var node = await NodeAsync("ITLRecovery", Mac);
        var phone = new EmulatedPhone(Path.Combine(_root, Mac), node.Phone(Mac));
        var first = await phone.BootAsync(Ct);
        Assert.True(first.Accepted, string.Join('\n', first.Log));
        Assert.Equal("ITL installed", first.Status);

        await node.RegenerateAsync("CallManager");
        await node.RegenerateAsync("TVS");
        var after = await phone.BootAsync(Ct);

        Assert.True(after.Accepted, string.Join('\n', after.Log));
        Assert.Equal("Trust List updated", after.Status);
        Assert.Empty(after.TvsAnswered);
        Assert.Equal(TrustListHashes.Of(await node.ServedAsync($"ITLSEP{Mac}.tlv")), after.Itl);
    }
}
