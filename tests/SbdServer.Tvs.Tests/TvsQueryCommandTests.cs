using System.Text;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Tvs;
using SbdServer.Tvs.Tests.Support;
using Xunit;

namespace SbdServer.Tvs.Tests;

/// <summary><c>sbd tvs query</c> as a real process against a real listener.</summary>
public class TvsQueryCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> SbdAsync(params string[] args)
    {
        var sbd = Path.Combine(AppContext.BaseDirectory, "sbd.dll");
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync("dotnet", [sbd, .. args], null, TimeSpan.FromSeconds(60));
        return (exit, Encoding.UTF8.GetString(stdout), stderr);
    }

    private static async Task<string> WriteAsync(string name, string content)
    {
        var dir = Directory.CreateTempSubdirectory("sbd-tvs-cli-").FullName;
        var path = Path.Combine(dir, name);
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
        return path;
    }

    [Fact]
    public async Task Verify_KnownCertificate_PrintsValidRolesTtlExitZero()
    {
        await using var server = await TvsTestServer.StartAsync();
        var der = TestPki.SelfSigned("CN=portal.example");
        server.Trust.Add(StoreRoles.TomcatTrust, der);
        var tvsPem = await WriteAsync("tvs.pem", TestPki.Pem(TestPki.Tvs.CertificateDer));
        var certPem = await WriteAsync("portal.pem", TestPki.Pem(der));

        var (exit, output, error) = await SbdAsync(
            "tvs", "query", "--host", $"127.0.0.1:{server.Port}", "--tvs-cert", tvsPem, "--device", "CP-8861-SEPB000B4BA0AEE", certPem);

        Assert.True(exit == 0, output + error);
        Assert.Contains("status      0 (valid)", output, StringComparison.Ordinal);
        Assert.Contains("roles       APP-SERVER (7)", output, StringComparison.Ordinal);
        Assert.Contains("ttl         86400 s", output, StringComparison.Ordinal);
        Assert.Contains("(matches --tvs-cert)", output, StringComparison.Ordinal);
        Assert.Equal("CP-8861-SEPB000B4BA0AEE", Assert.Single(server.QueryLog.Recent()).DeviceName);
    }

    [Fact]
    public async Task Verify_UnknownCertificate_PrintsInvalidExitOne()
    {
        await using var server = await TvsTestServer.StartAsync();
        var certPem = await WriteAsync("unknown.pem", TestPki.Pem(TestPki.SelfSigned("CN=nobody")));

        var (exit, output, error) = await SbdAsync("tvs", "query", "--host", $"127.0.0.1:{server.Port}", certPem);

        Assert.True(exit == 1, output + error);
        Assert.Contains("(not checked)", output, StringComparison.Ordinal);
        Assert.Contains("status      1 (invalid)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("roles", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_SubjectIssuerSerial_PrintsCertificate()
    {
        await using var server = await TvsTestServer.StartAsync();
        var der = TestPki.Leaf("CN=ucm11pub.stormin.local, OU=IST, O=Stormin", Convert.FromHexString("0A0B0C0D"));
        server.Trust.Add(StoreRoles.CallManager, der);
        var tvsPem = await WriteAsync("tvs.pem", TestPki.Pem(TestPki.Tvs.CertificateDer));

        var (exit, output, error) = await SbdAsync(
            "tvs", "query", "--host", $"127.0.0.1:{server.Port}", "--tvs-cert", tvsPem,
            "--subject", "CN=ucm11pub.stormin.local;OU=IST;O=Stormin", "--issuer", TestPki.CaName, "--serial", "0a:0b:0c:0d");

        Assert.True(exit == 0, output + error);
        Assert.Contains("roles       CCM+TFTP (2), SAST (0)", output, StringComparison.Ordinal);
        Assert.Contains("serial 0A0B0C0D", output, StringComparison.Ordinal);
        Assert.Contains(TestPki.Pem(der).Trim(), output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongTvsCertificate_RefusedExitTwo()
    {
        await using var server = await TvsTestServer.StartAsync();
        var otherPem = await WriteAsync("other.pem", TestPki.Pem(TestPki.Tvs2.CertificateDer));
        var certPem = await WriteAsync("c.pem", TestPki.Pem(TestPki.SelfSigned("CN=c")));

        var (exit, output, error) = await SbdAsync(
            "tvs", "query", "--host", $"127.0.0.1:{server.Port}", "--tvs-cert", otherPem, certPem);

        Assert.Equal(2, exit);
        Assert.Contains("is not the expected", error, StringComparison.Ordinal);
        Assert.DoesNotContain("status", output, StringComparison.Ordinal);
        Assert.Empty(server.QueryLog.Recent());
    }

    [Theory]
    [InlineData("--issuer", "CN=x")]
    [InlineData("--serial", "01")]
    public async Task Query_MissingHalfOfIssuerSerial_ClearErrorExitTwo(string option, string value)
    {
        var (exit, _, error) = await SbdAsync("tvs", "query", "--host", "127.0.0.1:1", option, value);

        Assert.Equal(2, exit);
        Assert.Contains("sbd tvs query:", error, StringComparison.Ordinal);
    }
}
