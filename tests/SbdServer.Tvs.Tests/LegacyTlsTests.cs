using SbdServer.Core.CertificateStore;
using SbdServer.Core.Tvs;
using SbdServer.Testing;
using SbdServer.Tvs.Tests.Support;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Tvs.Tests;

/// <summary>TLS 1.0 for 7900-series phones, tested with the system's real OpenSSL client (docs/adr/0001-tvs-tls.md).</summary>
public class LegacyTlsTests
{
    private const string Device = "CP-7962-SEP0011215A1AE3";

    [Theory]
    [InlineData("AES256-SHA:@SECLEVEL=0", "AES256-SHA")]
    [InlineData("DEFAULT:@SECLEVEL=0", null)]
    public async Task OpensslTls1Client_AllowTls10_CompletesVerify(string cipher, string? expectedCipher)
    {
        var openssl = Requirements.Tool("openssl");
        await using var server = await TvsTestServer.StartAsync(o =>
        {
            o.AllowTls10 = true;
            o.ReadTimeout = TimeSpan.FromSeconds(1);
        });
        var der = TestPki.SelfSigned("CN=legacy.example");
        server.Trust.Add(StoreRoles.TomcatTrust, der);

        var (_, stdout, stderr) = await ProcessRunner.RunAsync(
            openssl,
            ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-tls1", "-cipher", cipher, "-quiet", "-ign_eof"],
            TvsCodec.Write(new TvsVerifyRequest(0x1234, Device, der)),
            TimeSpan.FromSeconds(20));

        Assert.True(stdout.Length >= 10, "no answer over TLS 1.0: " + stderr);
        Assert.True(TvsHeader.TryRead(stdout, out var header));
        var response = TvsCodec.ReadResponse(header, stdout.AsSpan(TvsHeader.Size, header.BodyLength));
        Assert.Equal((0x1234u, TvsStatus.Valid), (response.SessionId, response.Status));
        Assert.Equal([7], response.Roles.ToArray());
        if (expectedCipher is not null)
        {
            await AssertNegotiatedAsync(openssl, server.Port, cipher, "TLSv1", expectedCipher);
        }
    }

    [Fact]
    public async Task OpensslTls1Client_DefaultOptions_Refused()
    {
        var openssl = Requirements.Tool("openssl");
        await using var server = await TvsTestServer.StartAsync(o => o.ReadTimeout = TimeSpan.FromSeconds(1));
        var der = TestPki.SelfSigned("CN=legacy.example");
        server.Trust.Add(StoreRoles.TomcatTrust, der);

        var (exit, stdout, _) = await ProcessRunner.RunAsync(
            openssl,
            ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-tls1", "-cipher", "AES256-SHA:@SECLEVEL=0", "-quiet", "-ign_eof"],
            TvsCodec.Write(new TvsVerifyRequest(1, Device, der)),
            TimeSpan.FromSeconds(20));

        Assert.NotEqual(0, exit);
        Assert.Empty(stdout);
        await TvsServerTests.WaitForAsync(() => server.Counters.HandshakeFailures == 1);
        Assert.Contains(server.Logs.Messages(2011), m => m.Contains("handshake failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpensslTls12Client_Aes256Sha_Negotiated()
    {
        var openssl = Requirements.Tool("openssl");
        await using var server = await TvsTestServer.StartAsync(o => o.ReadTimeout = TimeSpan.FromSeconds(1));

        await AssertNegotiatedAsync(openssl, server.Port, "AES256-SHA", "TLSv1.2", "AES256-SHA");
    }

    private static async Task AssertNegotiatedAsync(string openssl, int port, string cipher, string protocol, string expectedCipher)
    {
        var versionFlag = protocol == "TLSv1" ? "-tls1" : "-tls1_2";
        var (_, stdout, stderr) = await ProcessRunner.RunAsync(
            openssl,
            ["s_client", "-connect", $"127.0.0.1:{port}", versionFlag, "-cipher", cipher, "-brief"],
            [],
            TimeSpan.FromSeconds(20));

        // -brief prints "Protocol version: TLSv1" and "Ciphersuite: AES256-SHA" to stderr.
        var text = stderr + System.Text.Encoding.ASCII.GetString(stdout);
        Assert.Contains($"Protocol version: {protocol}\n", text, StringComparison.Ordinal);
        Assert.Contains($"Ciphersuite: {expectedCipher}\n", text, StringComparison.Ordinal);
    }
}
