using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;
using SbdServer.Crypto.Certificates;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Crypto.Tests.Certificates;

public sealed class CertificateCodecTests : IDisposable
{
    private readonly CertificateCodec _codec = new();
    private readonly CertificateInspector _inspector = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("sbd-codec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> VectorCertificates() =>
    [
        "callmanager.pem", "capf.pem", "itlrecovery.pem", "phone-ec.pem", "phone-lsc.pem", "sast2.pem", "tomcat.pem",
        "tvs-sub1.pem", "tvs.pem",
    ];

    [Theory]
    [MemberData(nameof(VectorCertificates))]
    public void ReadBundle_EveryVector_LoadsKeyAndCertificate(string file)
    {
        var pem = File.ReadAllBytes(SharedFiles.Require($"vectors/certs/{file}"));

        var bundle = _codec.ReadBundle(pem, requireKey: true);

        Assert.NotNull(bundle.PrivateKeyPkcs8);
        Assert.True(_inspector.KeyMatches(bundle.CertificateDer, bundle.PrivateKeyPkcs8));
        Assert.Empty(bundle.Chain);
        Assert.Single(_codec.ReadCertificates(Encoding.ASCII.GetBytes(_codec.WriteCertificatePem(bundle.CertificateDer))));
    }

    [Fact]
    public void ReadBundle_CallManagerVector_IsTheExpectedCertificate()
    {
        var pem = File.ReadAllBytes(SharedFiles.Require("vectors/certs/callmanager.pem"));

        var bundle = _codec.ReadBundle(pem, requireKey: true);

        Assert.Equal("83d53bd410d191246931194447bf8d6938a52eb2", _inspector.Inspect(bundle.CertificateDer).Sha1);
    }

    [Fact]
    public void BundlePem_RoundTrips_KeyFirstThenCertificateThenChain()
    {
        var leaf = TestPki.Factory.CreateSigned(TestPki.Spec(), TestPki.Now, TestPki.Intermediate);
        var bundle = new CertificateBundle(
            leaf.CertificateDer, leaf.PrivateKeyPkcs8, [TestPki.Intermediate.CertificateDer, TestPki.Root.CertificateDer]);

        var pem = _codec.WriteBundlePem(bundle);

        var text = Encoding.ASCII.GetString(pem);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", text, StringComparison.Ordinal);
        var read = _codec.ReadBundle(pem, requireKey: true);
        Assert.Equal(leaf.CertificateDer, read.CertificateDer);
        Assert.Equal(leaf.PrivateKeyPkcs8, read.PrivateKeyPkcs8);
        Assert.Equal([TestPki.Intermediate.CertificateDer, TestPki.Root.CertificateDer], read.Chain);
    }

    [Fact]
    public void ReadBundle_KeyAfterCertificates_PicksTheCertificateOfTheKey()
    {
        var leaf = TestPki.Factory.CreateSigned(TestPki.Spec(), TestPki.Now, TestPki.Root);
        var pem = Concat(
            _codec.WriteCertificatePem(TestPki.Root.CertificateDer),
            _codec.WriteCertificatePem(leaf.CertificateDer),
            Encoding.ASCII.GetString(_codec.WritePrivateKeyPem(leaf.PrivateKeyPkcs8)));

        var read = _codec.ReadBundle(pem, requireKey: true);

        Assert.Equal(leaf.CertificateDer, read.CertificateDer);
        Assert.Equal([TestPki.Root.CertificateDer], read.Chain);
    }

    [Fact]
    public void ReadBundle_NoKeyWhereRequired_ClearError()
    {
        var pem = Encoding.ASCII.GetBytes(_codec.WriteCertificatePem(TestPki.Root.CertificateDer));

        var ex = Assert.Throws<CertificateImportException>(() => _codec.ReadBundle(pem, requireKey: true));
        Assert.Contains("no private key", ex.Message, StringComparison.Ordinal);
        Assert.Null(_codec.ReadBundle(pem, requireKey: false).PrivateKeyPkcs8);
    }

    [Fact]
    public void ReadBundle_KeyOfAnotherCertificate_ClearError()
    {
        var pem = Concat(
            Encoding.ASCII.GetString(_codec.WritePrivateKeyPem(TestPki.RsaKey)),
            _codec.WriteCertificatePem(TestPki.Root.CertificateDer));

        var ex = Assert.Throws<CertificateImportException>(() => _codec.ReadBundle(pem, requireKey: false));
        Assert.Contains("does not match", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadBundle_TwoKeys_ClearError()
    {
        var key = Encoding.ASCII.GetString(_codec.WritePrivateKeyPem(TestPki.RsaKey));
        var pem = Concat(key, key, _codec.WriteCertificatePem(TestPki.SelfSigned(TestPki.Spec())));

        var ex = Assert.Throws<CertificateImportException>(() => _codec.ReadBundle(pem, requireKey: true));
        Assert.Contains("more than one private key", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello, this is not a certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n")]
    public void Readers_Garbage_ClearImportError(string input)
    {
        var bytes = Encoding.ASCII.GetBytes(input);

        Assert.Throws<CertificateImportException>(() => _codec.ReadCertificates(bytes));
        Assert.Throws<CertificateImportException>(() => _codec.ReadBundle(bytes, requireKey: false));
        Assert.Throws<CertificateImportException>(() => _codec.ReadPrivateKey(bytes));
    }

    [Fact]
    public void Readers_OversizedInput_RefusedBeforeParsing()
    {
        var big = new byte[ICertificateCodec.MaxInputBytes + 1];

        foreach (var read in new Action[]
        {
            () => _codec.ReadCertificates(big),
            () => _codec.ReadBundle(big, requireKey: false),
            () => _codec.ReadPrivateKey(big),
            () => _codec.ReadPkcs12(big, "x"),
        })
        {
            var ex = Assert.Throws<CertificateImportException>(read);
            Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReadCertificates_Der_AndPemChain()
    {
        Assert.Equal([TestPki.Root.CertificateDer], _codec.ReadCertificates(TestPki.Root.CertificateDer));
        var chain = Concat(
            _codec.WriteCertificatePem(TestPki.Intermediate.CertificateDer),
            _codec.WriteCertificatePem(TestPki.Root.CertificateDer));

        Assert.Equal([TestPki.Intermediate.CertificateDer, TestPki.Root.CertificateDer], _codec.ReadCertificates(chain));
    }

    [Fact]
    public void ReadCertificates_DerWithTrailingBytes_Refused()
    {
        Assert.Throws<CertificateImportException>(() => _codec.ReadCertificates([.. TestPki.Root.CertificateDer, 1, 2]));
    }

    [Fact]
    public void ReadCertificates_PemWithPrivateKey_Refused()
    {
        var pem = File.ReadAllBytes(SharedFiles.Require("vectors/certs/tvs.pem"));

        var ex = Assert.Throws<CertificateImportException>(() => _codec.ReadCertificates(pem));
        Assert.Contains("private key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPrivateKey_EcKeyOnAnUnknownCurve_ImportErrorNotPlatformError()
    {
        // Pinned fuzz find: OpenSSL throws PlatformNotSupportedException for a curve it does not know.
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pkcs8 = ec.ExportPkcs8PrivateKey();
        byte[] p256 = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
        var at = pkcs8.AsSpan().IndexOf(p256);
        Assert.True(at > 0);
        pkcs8[at + p256.Length - 1] = 0x7F;

        var ex = Assert.Throws<CertificateImportException>(() => _codec.ReadPrivateKey(pkcs8));
        Assert.Contains("curve", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPrivateKey_Pkcs1AndSec1AndPkcs8Der_BecomePkcs8()
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(TestPki.RsaKey, out _);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var fromPkcs1 = _codec.ReadPrivateKey(Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem()));
        var fromSec1 = _codec.ReadPrivateKey(Encoding.ASCII.GetBytes(ec.ExportECPrivateKeyPem()));
        var fromDer = _codec.ReadPrivateKey(TestPki.RsaKey);

        Assert.Equal(TestPki.RsaKey, fromPkcs1);
        Assert.Equal(TestPki.RsaKey, fromDer);
        using var back = ECDsa.Create();
        back.ImportPkcs8PrivateKey(fromSec1, out _);
        Assert.Equal(ec.ExportParameters(true).D, back.ExportParameters(true).D);
    }

    [Fact]
    public void EncryptedKey_RoundTrips_AndWrongOrMissingPasswordIsRefused()
    {
        var pem = _codec.WritePrivateKeyPem(TestPki.RsaKey, "s3cret");

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", Encoding.ASCII.GetString(pem), StringComparison.Ordinal);
        Assert.Equal(TestPki.RsaKey, _codec.ReadPrivateKey(pem, "s3cret"));
        Assert.Throws<WrongPasswordException>(() => _codec.ReadPrivateKey(pem, "wrong"));
        var missing = Assert.Throws<CertificateImportException>(() => _codec.ReadPrivateKey(pem));
        Assert.Contains("password", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptedBundle_EcKey_RoundTrips()
    {
        var ec = TestPki.Intermediate;
        var pem = _codec.WriteBundlePem(new CertificateBundle(ec.CertificateDer, ec.PrivateKeyPkcs8, []), "pw");

        var read = _codec.ReadBundle(pem, requireKey: true, password: "pw");

        Assert.Equal(ec.CertificateDer, read.CertificateDer);
        Assert.True(_inspector.KeyMatches(read.CertificateDer, read.PrivateKeyPkcs8!));
    }

    [Fact]
    public void EncryptedKey_OpenSslDecryptsOurs_AndWeDecryptOpenSsls()
    {
        var openssl = Requirements.Tool("openssl");
        var ours = Path.Combine(_dir, "ours.pem");
        File.WriteAllBytes(ours, _codec.WritePrivateKeyPem(TestPki.RsaKey, "pw1"));

        var (exit, output) = OpenSsl.Run(openssl, "pkey", "-in", ours, "-passin", "pass:pw1",
            "-out", Path.Combine(_dir, "plain.pem"));
        Assert.True(exit == 0, output);
        using (var expected = RSA.Create())
        using (var actual = RSA.Create())
        {
            expected.ImportPkcs8PrivateKey(TestPki.RsaKey, out _);
            actual.ImportFromPem(File.ReadAllText(Path.Combine(_dir, "plain.pem")));
            Assert.Equal(expected.ExportParameters(true).D, actual.ExportParameters(true).D);
        }

        var theirs = Path.Combine(_dir, "theirs.pem");
        (exit, output) = OpenSsl.Run(openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384",
            "-aes-256-cbc", "-pass", "pass:pw2", "-out", theirs);
        Assert.True(exit == 0, output);
        var key = _codec.ReadPrivateKey(File.ReadAllBytes(theirs), "pw2");
        using var ec = ECDsa.Create();
        ec.ImportPkcs8PrivateKey(key, out _);
        Assert.Equal(384, ec.KeySize);
    }

    [Fact]
    public void Pkcs12_RoundTripsWithChain_AndWrongPasswordIsRefused()
    {
        var leaf = TestPki.Factory.CreateSigned(TestPki.Spec(), TestPki.Now, TestPki.Root);
        var bundle = new CertificateBundle(leaf.CertificateDer, leaf.PrivateKeyPkcs8, [TestPki.Root.CertificateDer]);

        var pfx = _codec.WritePkcs12(bundle, "export-pw");

        var read = _codec.ReadPkcs12(pfx, "export-pw");
        Assert.Equal(leaf.CertificateDer, read.CertificateDer);
        Assert.Equal(leaf.PrivateKeyPkcs8, read.PrivateKeyPkcs8);
        Assert.Equal([TestPki.Root.CertificateDer], read.Chain);
        Assert.Throws<WrongPasswordException>(() => _codec.ReadPkcs12(pfx, "wrong"));
    }

    [Fact]
    public void Pkcs12_EcKey_RoundTrips()
    {
        var ec = TestPki.Intermediate;

        var read = _codec.ReadPkcs12(_codec.WritePkcs12(new CertificateBundle(ec.CertificateDer, ec.PrivateKeyPkcs8, []), "p"), "p");

        Assert.Equal(ec.CertificateDer, read.CertificateDer);
        Assert.True(_inspector.KeyMatches(read.CertificateDer, read.PrivateKeyPkcs8!));
    }

    [Fact]
    public void Pkcs12_Garbage_IsNotPkcs12()
    {
        var ex = Assert.Throws<CertificateImportException>(() => _codec.ReadPkcs12(TestPki.Root.CertificateDer, "x"));
        Assert.Contains("not a PKCS#12", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pkcs12_MismatchedKey_RefusedOnExport()
    {
        var bundle = new CertificateBundle(TestPki.Root.CertificateDer, TestPki.RsaKey, []);

        Assert.Throws<CertificateImportException>(() => _codec.WritePkcs12(bundle, "x"));
    }

    [Fact]
    public void Pkcs12_OpenSslSeesAesAndSha256Mac_AndWeReadOpenSsls()
    {
        var openssl = Requirements.Tool("openssl");
        var leaf = TestPki.Factory.CreateSigned(TestPki.Spec(), TestPki.Now, TestPki.Root);
        var ours = Path.Combine(_dir, "ours.p12");
        File.WriteAllBytes(ours, _codec.WritePkcs12(
            new CertificateBundle(leaf.CertificateDer, leaf.PrivateKeyPkcs8, [TestPki.Root.CertificateDer]), "pw"));

        var (exit, output) = OpenSsl.Run(openssl, "pkcs12", "-in", ours, "-passin", "pass:pw", "-info", "-noout");
        Assert.True(exit == 0, output);
        Assert.Contains("MAC: sha256", output, StringComparison.Ordinal);
        Assert.Contains("AES-256-CBC", output, StringComparison.Ordinal);
        Assert.DoesNotContain("RC2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("3DES", output, StringComparison.Ordinal);

        var keyPath = Path.Combine(_dir, "key.pem");
        var certPath = Path.Combine(_dir, "cert.pem");
        var theirs = Path.Combine(_dir, "theirs.p12");
        File.WriteAllBytes(keyPath, _codec.WritePrivateKeyPem(leaf.PrivateKeyPkcs8));
        File.WriteAllText(certPath, _codec.WriteCertificatePem(leaf.CertificateDer));
        (exit, output) = OpenSsl.Run(openssl, "pkcs12", "-export", "-inkey", keyPath, "-in", certPath,
            "-passout", "pass:pw3", "-out", theirs);
        Assert.True(exit == 0, output);
        var read = _codec.ReadPkcs12(File.ReadAllBytes(theirs), "pw3");
        Assert.Equal(leaf.CertificateDer, read.CertificateDer);
        Assert.Equal(leaf.PrivateKeyPkcs8, read.PrivateKeyPkcs8);
    }

    [Fact]
    public void CertificatePem_IsReadableByOpenSsl()
    {
        var openssl = Requirements.Tool("openssl");
        var path = Path.Combine(_dir, "cert.pem");
        File.WriteAllText(path, _codec.WriteCertificatePem(TestPki.Root.CertificateDer));

        var (exit, output) = OpenSsl.Run(openssl, "x509", "-in", path, "-noout", "-subject");

        Assert.True(exit == 0, output);
        Assert.Contains("CN = JASBURNS-AD", output, StringComparison.Ordinal);
    }

    [Fact]
    public void LegacyEncryptedPem_ExplainsHowToConvert()
    {
        var pem = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
            + "-----END RSA PRIVATE KEY-----\n";

        var ex = Assert.Throws<CertificateImportException>(() => _codec.ReadPrivateKey(Encoding.ASCII.GetBytes(pem)));
        Assert.Contains("pkcs8", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Concat(params string[] parts) => Encoding.ASCII.GetBytes(string.Concat(parts));
}
