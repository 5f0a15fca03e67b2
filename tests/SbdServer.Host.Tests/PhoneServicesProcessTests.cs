using System.Net;
using System.Net.Sockets;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>The real executable with the phone services: a port conflict stops it, legacy TLS is opt-in.</summary>
public sealed class PhoneServicesProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PortInUse_HostRefusesToStart_NamingThePortAndTheFix()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        var dataDir = DataDirInspector.NewDataDir();

        await using (var host = HostProcess.Start(dataDir, new Dictionary<string, string?> { ["PhoneServices__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
        {
            Assert.NotEqual(0, await host.WaitForExitAsync(Ct));
            Assert.Contains($"cannot listen on TCP 127.0.0.1:{port} (port {port})", host.Output, StringComparison.Ordinal);
            Assert.Contains("PhoneServices:Port", host.Output, StringComparison.Ordinal);
        }

        DataDirInspector.Delete(dataDir);
    }

    [Theory]
    [InlineData("-tls1", "TLSv1")]
    [InlineData("-tls1_1", "TLSv1.1")]
    public async Task AllowTls10_OldPhoneNegotiatesLegacyTlsWithAes256Sha(string flag, string protocol)
    {
        var openssl = Requirements.Tool("openssl");
        var dataDir = DataDirInspector.NewDataDir();
        await using (var host = HostProcess.Start(dataDir, new Dictionary<string, string?> { ["PhoneServices__AllowTls10"] = "true" }))
        {
            Assert.True(await host.WaitHealthyAsync(Ct), host.Output);
            var port = host.PhoneServicesPort;

            var (exitCode, output) = await Tool.RunAsync(openssl,
                ["s_client", "-connect", $"127.0.0.1:{port}", flag, "-cipher", "AES256-SHA:@SECLEVEL=0", "-brief"], 20_000);

            var text = output.Replace("\r", "", StringComparison.Ordinal);
            Assert.True(exitCode == 0, text);
            Assert.Contains($"Protocol version: {protocol}\n", text, StringComparison.Ordinal);
            Assert.Contains("Ciphersuite: AES256-SHA\n", text, StringComparison.Ordinal);
        }

        DataDirInspector.Delete(dataDir);
    }
}
