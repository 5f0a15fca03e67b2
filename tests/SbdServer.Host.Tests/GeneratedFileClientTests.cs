using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Testing;
using SbdServer.Tftp;
using SbdServer.Tftp.Http;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// Real TFTP and HTTP clients (tftp-hpa, atftp with blksize 1428 + tsize, curl tftp://, curl http://:6970) fetch the
/// generated files and a static file from a running host: the bytes are identical to each other and to
/// <c>GET /api/files</c>, and the signatures verify with the cluster's ITL signer.
/// </summary>
public sealed class GeneratedFileClientTests(ClusterFactory factory) : IClassFixture<ClusterFactory>, IDisposable
{
    private const string Mac = "0A0B0C0D0E10";
    private readonly string _out = Directory.CreateTempSubdirectory("sbd-clients-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int TftpPort => factory.Services.GetRequiredService<TftpServerService>().LocalEndPoint!.Port;

    private int HttpPort => factory.Services.GetRequiredService<TftpHttpService>().LocalEndPoint!.Port;

    public static TheoryData<string> ServedNames => new()
    {
        $"ITLSEP{Mac}.tlv", "ITLFile.tlv", $"SEP{Mac}.cnf.xml.sgn", "RingList.xml", "RingList.xml.sgn",
    };

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Theory]
    [MemberData(nameof(ServedNames))]
    public async Task EveryClient_GetsTheCatalogueBytes_AndSignaturesVerify(string name)
    {
        using var admin = factory.Admin();
        await EnsureDeviceAsync(admin);
        var expected = await admin.GetByteArrayAsync("/api/files/" + name, Ct);

        var tftp = Requirements.Tool("tftp");
        var hpa = Path.Combine(_out, name + ".hpa");
        var (hpaCode, hpaOutput) = await Tool.RunAsync(tftp, ["127.0.0.1", TftpPort.ToString(), "-m", "binary", "-c", "get", name, hpa]);
        Assert.True(hpaCode == 0, hpaOutput);
        Assert.Equal(expected, await File.ReadAllBytesAsync(hpa, Ct));

        var atftp = Requirements.Tool("atftp");
        var at = Path.Combine(_out, name + ".atftp");
        var (atCode, atOutput) = await Tool.RunAsync(atftp,
            ["--option", "blksize 1428", "--option", "tsize 0", "-g", "-r", name, "-l", at, "127.0.0.1", TftpPort.ToString()]);
        Assert.True(atCode == 0, atOutput);
        Assert.Equal(expected, await File.ReadAllBytesAsync(at, Ct));

        var curl = Requirements.Tool("curl");
        var curlTftp = Path.Combine(_out, name + ".curl");
        var (curlCode, curlOutput) = await Tool.RunAsync(curl,
            ["-sS", "--max-time", "20", "-o", curlTftp, $"tftp://127.0.0.1:{TftpPort}/{name}"]);
        Assert.True(curlCode == 0, curlOutput);
        Assert.Equal(expected, await File.ReadAllBytesAsync(curlTftp, Ct));

        var curlHttp = Path.Combine(_out, name + ".http");
        var (httpCode, httpOutput) = await Tool.RunAsync(curl,
            ["-sS", "--fail", "--max-time", "20", "-o", curlHttp, $"http://127.0.0.1:{HttpPort}/{name}"]);
        Assert.True(httpCode == 0, httpOutput);
        Assert.Equal(expected, await File.ReadAllBytesAsync(curlHttp, Ct));

        if (name.EndsWith(".tlv", StringComparison.Ordinal) || name.EndsWith(".sgn", StringComparison.Ordinal))
        {
            var signed = name.EndsWith(".tlv", StringComparison.Ordinal) ? TrustListCodec.Parse(expected).Signed : SgnCodec.Parse(expected);
            using var signer = await SignerAsync(admin, trustList: name.EndsWith(".tlv", StringComparison.Ordinal));
            using var key = signer.GetRSAPublicKey()!;
            var hash = signed.Header.HashAlgorithm == HashAlgorithmCode.Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA1;
            Assert.True(key.VerifyData(signed.SignedBytes, signed.Header.Signature, hash, RSASignaturePadding.Pkcs1),
                $"{name} does not verify with its signer (ITL signer for trust lists, CallManager for the rest)");
        }
    }

    [Fact]
    public async Task CtlInNonSecureMode_IsNotFound_ForEveryClient()
    {
        using var admin = factory.Admin();
        await EnsureDeviceAsync(admin);
        var name = $"CTLSEP{Mac}.tlv";
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/" + name, Ct)).StatusCode);

        var hpa = Path.Combine(_out, name);
        var (_, hpaOutput) = await Tool.RunAsync(Requirements.Tool("tftp"),
            ["127.0.0.1", TftpPort.ToString(), "-m", "binary", "-c", "get", name, hpa]);
        Assert.Contains("File not found", hpaOutput, StringComparison.Ordinal);
        Assert.True(!File.Exists(hpa) || new FileInfo(hpa).Length == 0);

        var curl = Requirements.Tool("curl");
        var (tftpCode, _) = await Tool.RunAsync(curl, ["-sS", "--max-time", "20", "-o", "/dev/null", $"tftp://127.0.0.1:{TftpPort}/{name}"]);
        Assert.Equal(68, tftpCode); // curl: file not found on the TFTP server
        var (_, status) = await Tool.RunAsync(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{HttpPort}/{name}"]);
        Assert.Equal("404", status.Trim());
    }

    private static async Task EnsureDeviceAsync(HttpClient admin)
    {
        if ((await admin.GetAsync($"/api/devices/SEP{Mac}", Ct)).StatusCode != HttpStatusCode.OK)
        {
            var created = await admin.PostAsJsonAsync("/api/devices", new { name = "SEP" + Mac, model = "8861" }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
    }

    private static async Task<X509Certificate2> SignerAsync(HttpClient admin, bool trustList)
    {
        var mode = (await admin.GetFromJsonAsync<ParameterValue>("/api/parameters/ItlSignerMode", Ct))!.Value;
        var name = trustList && string.Equals(mode, "ITLRecovery", StringComparison.OrdinalIgnoreCase) ? "ITLRecovery" : "CallManager";
        return X509Certificate2.CreateFromPem(await admin.GetStringAsync($"/api/nodes/cucm-pub/certificates/{name}/pem", Ct));
    }

    private sealed record ParameterValue(string Value);
}
