using SbdServer.Testing;
using Xunit;

namespace SbdServer.Cli.Tests;

/// <summary>
/// <c>sbd phone</c>'s exit-code contract without a server: usage and network errors are 2 (1 is reserved for trust
/// failures), with one reason line on stderr; the trust list of a phone that never booted is empty.
/// </summary>
public sealed class PhoneCommandTests
{
    public static TheoryData<string[], string> UsageErrors => new()
    {
        { ["phone", "boot", "--mac", "0011215A1AE3", "--state", "s"], "--tftp" },
        { ["phone", "boot", "--tftp", "127.0.0.1", "--mac", "00112", "--state", "s"], "not a MAC address" },
        { ["phone", "boot", "--tftp", "127.0.0.1:99999", "--mac", "0011215A1AE3", "--state", "s"], "port '99999'" },
        { ["phone", "boot", "--tftp", "127.0.0.1", "--mac", "0011215A1AE3", "--state", "s", "--model", "1234"], "Unknown phone model '1234'" },
        { ["phone", "boot", "--tftp", "127.0.0.1", "--mac", "0011215A1AE3", "--state", "s", "--resolve", "nothing"], "NAME=ADDR" },
        { ["phone", "boot", "--tftp", "127.0.0.1", "--mac", "0011215A1AE3", "--state", "s", "--resolve", "a=not-an-ip"], "not an IP address" },
        { ["phone", "boot", "--tftp", "127.0.0.1", "--mac", "0011215A1AE3", "--state", "s", "--api", "http://x/"], "--api-password" },
        { ["phone", "https", "http://example/", "--state", "."], "not an https URL" },
        { ["phone", "trustlist", "--state", "/nonexistent/sbd-phone"], "no such state directory" },
        { ["phone", "register", "--state", "/nonexistent/sbd-phone"], "no such state directory" },
        { ["phone", "register", "--state", "."], "never booted" },
        { ["phone", "farm", "--tftp", "127.0.0.1", "--mac-start", "0011215A1AE3", "--count", "0", "--state", "f"], "at least 1" },
        { ["phone", "capf", "--state", "s"], "--host" },
        { ["phone", "capf", "--host", "127.0.0.1", "--state", "s", "--auth-string", "12ab"], "4-10 digits" },
        { ["phone", "capf", "--host", "127.0.0.1", "--state", "s", "--auth-string", "12345678901"], "4-10 digits" },
        { ["phone", "capf", "--host", "127.0.0.1:70000", "--state", "s"], "port '70000'" },
        { ["phone", "capf", "--host", "127.0.0.1", "--state", "/nonexistent/sbd-phone"], "no such state directory" },
        { ["phone", "wobble"], "wobble" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void UsageErrors_Exit2_WithTheReason(string[] args, string reason)
    {
        using var temp = new TempFolder();
        var result = Sbd.Run(temp.Path, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Boot_AgainstAClosedPort_IsANetworkError_Exit2()
    {
        using var temp = new TempFolder();
        var port = FreePorts.Udp();

        var result = Sbd.Run(temp.Path, "phone", "boot", "--tftp", $"127.0.0.1:{port}", "--tftp-only", "--mac", "0011215A1AE3", "--state", "phone");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("STATUS: TFTP Timeout", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.File("phone/phone.json")));
    }

    [Fact]
    public void Trustlist_OfAPhoneThatNeverBooted_IsEmpty_AndEraseSucceeds()
    {
        using var temp = new TempFolder();

        var list = Sbd.Run(temp.Path, "phone", "trustlist", "--state", temp.Path);
        var erase = Sbd.Run(temp.Path, "phone", "erase", "--state", temp.Path);

        Assert.Equal(0, list.ExitCode);
        Assert.Equal("No Trust List installed\n", list.Stdout);
        Assert.Equal(0, erase.ExitCode);
        Assert.Contains("Erasing CTL and ITL files", erase.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_WithoutAConfig_OrWithANonSecureProfile_IsNoTrustDecision_Exit2()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("phone.json"), """{ "mac": "0011215A1AE3", "model": "8861" }""");

        var noConfig = Sbd.Run(temp.Path, "phone", "register", "--state", temp.Path);
        File.WriteAllText(temp.File("config.xml"), "<device><deviceSecurityMode>1</deviceSecurityMode></device>");
        var nonSecure = Sbd.Run(temp.Path, "phone", "register", "--state", temp.Path);
        File.WriteAllText(temp.File("config.xml"), "<device><deviceSecurityMode>2</deviceSecurityMode></device>");
        var noCtl = Sbd.Run(temp.Path, "phone", "register", "--state", temp.Path);

        Assert.Equal(2, noConfig.ExitCode);
        Assert.Contains("STATUS: Registration failed: no configuration (boot the phone first)", noConfig.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, nonSecure.ExitCode);
        Assert.Contains("STATUS: Registration not attempted: non-secure profile", nonSecure.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, noCtl.ExitCode);
        Assert.Contains("STATUS: Registration failed: no CTL", noCtl.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Capf_WithoutACapfRecordInTheTrustList_RefusesBeforeConnecting_Exit2()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("phone.json"), """{ "mac": "0011215A1AE3", "model": "8861" }""");

        var never = Sbd.Run(temp.Path, "phone", "capf", "--host", "127.0.0.1:" + FreePorts.Tcp(), "--state", temp.Path);

        Assert.Equal(2, never.ExitCode);
        Assert.Contains("has no CAPF record (boot first)", never.Stderr, StringComparison.Ordinal);
        Assert.Contains("STATUS: error: ", never.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void StateDirectoryThatIsNotAPhone_Exit2()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("phone.json"), "{ not json");

        var result = Sbd.Run(temp.Path, "phone", "erase", "--state", temp.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a phone state", result.Stderr, StringComparison.Ordinal);
    }
}
