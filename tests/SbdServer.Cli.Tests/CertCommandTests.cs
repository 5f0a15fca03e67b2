using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;
using SbdServer.Crypto.Certificates;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Cli.Tests;

/// <summary>Runs the built <c>sbd.dll</c> as a real process for <c>sbd cert new</c>.</summary>
public sealed class CertCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbd-cert-").FullName;
    private readonly CertificateCodec _codec = new();
    private readonly CertificateInspector _inspector = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void New_Defaults_WritesKeyAndSelfSignedRsa2048Certificate()
    {
        var result = Sbd("cert", "new", "node.pem", "--cn", "cucm.lab.example");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Wrote node.pem", result.Stdout, StringComparison.Ordinal);
        var text = File.ReadAllText(Path.Combine(_dir, "node.pem"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", text, StringComparison.Ordinal);
        var bundle = _codec.ReadBundle(File.ReadAllBytes(Path.Combine(_dir, "node.pem")), requireKey: true);
        var facts = _inspector.Inspect(bundle.CertificateDer);
        Assert.Equal("CN=cucm.lab.example", facts.Subject);
        Assert.True(facts.IsSelfSigned);
        Assert.Equal(("RSA", 2048), (facts.PublicKeyAlgorithm, facts.KeySizeBits));
        Assert.Equal(16, facts.SerialNumber.Length);
        Assert.Equal(facts.NotBefore.AddYears(5), facts.NotAfter);
        Assert.InRange(facts.NotBefore, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        using var certificate = X509CertificateLoader.LoadCertificate(bundle.CertificateDer);
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Contains(facts.Sha1, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void New_SeedCallManagerIssuedByJasburnsCa_HasSeedProperties()
    {
        var ca = Sbd("cert", "new", "ca.pem", "--cn", "JASBURNS-AD", "--purpose", "authority", "--years", "10");
        Assert.True(ca.ExitCode == 0, ca.Stderr);

        var cm = Sbd(
            "cert", "new", "callmanager.pem", "--cn", "CUCM8-Publisher.bbbburns.lab", "--unit", "TAC", "--org", "Cisco",
            "--locality", "RTP", "--state", "North Carolina", "--country", "US", "--key", "rsa1024",
            "--serial-bytes", "10", "--issuer", "ca.pem", "--dns", "cucm8-publisher.bbbburns.lab");

        Assert.True(cm.ExitCode == 0, cm.Stderr);
        var bundle = _codec.ReadBundle(File.ReadAllBytes(Path.Combine(_dir, "callmanager.pem")), requireKey: true);
        var facts = _inspector.Inspect(bundle.CertificateDer);
        Assert.Equal("CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US", facts.Subject);
        Assert.Equal("CN=JASBURNS-AD", facts.Issuer);
        Assert.Equal(20, facts.SerialNumber.Length);
        Assert.Equal(1024, facts.KeySizeBits);
        Assert.Equal(["cucm8-publisher.bbbburns.lab"], facts.DnsNames);
        Assert.Empty(bundle.Chain);
        var caBundle = _codec.ReadBundle(File.ReadAllBytes(Path.Combine(_dir, "ca.pem")), requireKey: true);
        Assert.True(_inspector.Inspect(caBundle.CertificateDer).IsCertificateAuthority);
        var validator = new CertificateValidator(TimeProvider.System);
        var accepted = validator.ValidateIssuedCertificate(
            bundle.CertificateDer, bundle.PrivateKeyPkcs8!, [caBundle.CertificateDer]);
        Assert.True(accepted.IsValid, accepted.Reason);
    }

    [Theory]
    [InlineData("ec256", "EC", 256)]
    [InlineData("ec384", "EC", 384)]
    [InlineData("rsa1024", "RSA", 1024)]
    public void New_KeyTypes(string key, string algorithm, int bits)
    {
        var result = Sbd("cert", "new", "k.pem", "--cn", "phone", "--key", key, "--purpose", "phone");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var bundle = _codec.ReadBundle(File.ReadAllBytes(Path.Combine(_dir, "k.pem")), requireKey: true);
        var facts = _inspector.Inspect(bundle.CertificateDer);
        Assert.Equal((algorithm, bits), (facts.PublicKeyAlgorithm, facts.KeySizeBits));
    }

    [Fact]
    public void New_IssuerFromVectors_Works()
    {
        var issuer = SharedFiles.Require("vectors/certs/capf.pem");

        var result = Sbd("cert", "new", "lsc.pem", "--cn", "SEP0011215A1AE3", "--purpose", "phone", "--issuer", issuer);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var facts = _inspector.Inspect(
            _codec.ReadBundle(File.ReadAllBytes(Path.Combine(_dir, "lsc.pem")), requireKey: true).CertificateDer);
        Assert.Equal("CN=CAPF-9c4cba7d;O=Cisco;OU=TAC;C=US", facts.Issuer);
    }

    [Fact]
    public void New_ExistingOutput_RefusedUnlessForced()
    {
        File.WriteAllText(Path.Combine(_dir, "keep.pem"), "precious");

        var refused = Sbd("cert", "new", "keep.pem", "--cn", "x", "--key", "ec256");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("--force", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(_dir, "keep.pem")));

        var forced = Sbd("cert", "new", "keep.pem", "--cn", "x", "--key", "ec256", "--force");

        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.NotNull(_codec.ReadBundle(File.ReadAllBytes(Path.Combine(_dir, "keep.pem")), requireKey: true).PrivateKeyPkcs8);
    }

    [Fact]
    public void New_OutputIsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix permissions only.");
        }

        var result = Sbd("cert", "new", "private.pem", "--cn", "x", "--key", "ec256");

        Assert.True(result.ExitCode == 0, result.Stderr);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(
                UnixFileMode.UserRead | UnixFileMode.UserWrite,
                File.GetUnixFileMode(Path.Combine(_dir, "private.pem")));
        }
    }

    [Theory]
    [InlineData("bad country", "--cn", "x", "--country", "USA")]
    [InlineData("serial too long", "--cn", "x", "--serial-bytes", "21")]
    [InlineData("zero years", "--cn", "x", "--years", "0")]
    [InlineData("empty CN", "--cn", "")]
    public void New_InvalidValues_OneLineReasonAndNoFile(string because, params string[] options)
    {
        var result = Sbd(["cert", "new", "bad.pem", "--key", "ec256", .. options]);

        Assert.True(result.ExitCode != 0, because);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("sbd cert new: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "bad.pem")), because);
    }

    [Fact]
    public void New_MissingCommonName_Fails()
    {
        var result = Sbd("cert", "new", "x.pem");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--cn", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.pem")));
    }

    [Fact]
    public void New_UnknownKeyType_Fails()
    {
        var result = Sbd("cert", "new", "x.pem", "--cn", "x", "--key", "rsa9");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("rsa9", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.pem")));
    }

    [Fact]
    public void New_IssuerMissing_NamesTheOption()
    {
        var result = Sbd("cert", "new", "x.pem", "--cn", "x", "--issuer", "nowhere.pem");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("sbd cert new: --issuer file not found: nowhere.pem", result.Stderr.Trim());
    }

    [Fact]
    public void New_IssuerWithoutKeyOrGarbageOrNotCa_ClearReasons()
    {
        File.WriteAllText(Path.Combine(_dir, "garbage.pem"), "not a pem at all");
        var certOnly = _codec.WriteCertificatePem(
            _codec.ReadBundle(File.ReadAllBytes(SharedFiles.Require("vectors/certs/capf.pem")), true).CertificateDer);
        File.WriteAllText(Path.Combine(_dir, "certonly.pem"), certOnly);
        Assert.Equal(0, Sbd("cert", "new", "leaf.pem", "--cn", "leaf", "--key", "ec256").ExitCode);

        var garbage = Sbd("cert", "new", "a.pem", "--cn", "x", "--issuer", "garbage.pem");
        var noKey = Sbd("cert", "new", "b.pem", "--cn", "x", "--issuer", "certonly.pem");
        var notCa = Sbd("cert", "new", "c.pem", "--cn", "x", "--issuer", "leaf.pem");

        Assert.Contains("not PEM", garbage.Stderr, StringComparison.Ordinal);
        Assert.Contains("no private key", noKey.Stderr, StringComparison.Ordinal);
        Assert.Contains("not a CA", notCa.Stderr, StringComparison.Ordinal);
        Assert.All([garbage, noKey, notCa], r =>
        {
            Assert.NotEqual(0, r.ExitCode);
            Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        });
    }

    [Fact]
    public void Help_ListsTheOptions()
    {
        var result = Sbd("cert", "new", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--cn", "--org", "--unit", "--key", "--serial-bytes", "--years", "--issuer" })
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }
    }

    private (int ExitCode, string Stdout, string Stderr) Sbd(params string[] arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Requirements.Tool("dotnet");
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sbd.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("sbd did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sbd {string.Join(' ', arguments)} hung");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
