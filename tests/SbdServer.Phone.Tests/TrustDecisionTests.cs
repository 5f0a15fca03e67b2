using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Phone.Net;
using SbdServer.Testing;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;
using Xunit;

namespace SbdServer.Phone.Tests;

/// <summary>
/// The phone's trust decisions (formats.md section 5) on files it did not make: the independent interop vectors and
/// files these tests sign with keys of their own, served over a real loopback HTTP socket. TVS is unreachable here
/// (a closed port), so a file is accepted only on first use or against the installed lists.
/// </summary>
public sealed class TrustDecisionTests : IAsyncLifetime
{
    private const string Mac = "0011215A1AE3";
    private readonly FileServer _server = new();
    private readonly string _state = Directory.CreateTempSubdirectory("sbd-phone-trust-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    private static byte[] Vector(string name) => File.ReadAllBytes(SharedFiles.Require(Path.Combine("vectors", name)));

    private EmulatedPhone Phone(string model = "7962")
    {
        var deadTvs = FreePorts.Tcp();
        return new EmulatedPhone(_state, new PhoneOptions
        {
            Mac = Mac,
            Model = PhoneModel.Get(model),
            TftpHost = "127.0.0.1",
            TftpPort = FreePorts.Udp(),
            HttpPort = _server.Port,
            TvsTimeout = TimeSpan.FromSeconds(2),
            Resolver = PhoneResolver.Parse([$"127.0.0.1:2445=127.0.0.1:{deadTvs}", $"cucm8-publisher.lab.example=127.0.0.1",
                $"cucm8-publisher.lab.example:2445=127.0.0.1:{deadTvs}"]),
        });
    }

    private void Serve(byte[] itl, byte[] config, byte[]? ctl = null)
    {
        _server.Files.Clear();
        _server.Files[$"ITLSEP{Mac}.tlv"] = itl;
        _server.Files[$"SEP{Mac}.cnf.xml.sgn"] = config;
        if (ctl is not null)
        {
            _server.Files[$"CTLSEP{Mac}.tlv"] = ctl;
        }
    }

    private static string Log(PhoneBootResult result) => string.Join('\n', result.Log);

    [Fact]
    public async Task EmptyPhone_TrustsTheVectorItlOnFirstUse_AndVerifiesTheConfigWithItsCcmTftpRecord()
    {
        Serve(Vector("ITLFile.tlv"), Vector("SEP0011215A1AE3.cnf.xml.sgn"));

        var result = await Phone().BootAsync(Ct);

        Assert.True(result.Accepted, Log(result));
        Assert.Equal("ITL installed", result.Status);
        Assert.Equal(TrustListHashes.Of(Vector("ITLFile.tlv")), result.Itl);
        Assert.Equal(Vector("SEP0011215A1AE3.cnf.xml"), File.ReadAllBytes(Path.Combine(_state, PhoneState.ConfigFile)));
        Assert.Contains(result.Log, l => l.Contains("signer found in ITL (CCM+TFTP): signature verified", StringComparison.Ordinal));
        Assert.Equal(["cucm8-publisher.lab.example:2445"], PhoneState.Open(_state).TvsServers.Select(s => s.ToString()));
        Assert.Equal($"ITLSEP{Mac}.tlv", _server.Requested.ElementAt(2)); // CTLSEP, CTLFile, then ITLSEP
    }

    [Fact]
    public async Task CtlAndItl_BothInstalled_TheItlVerifiedAgainstTheCtl()
    {
        Serve(Vector("ITLFile.tlv"), Vector("SEP0011215A1AE3.cnf.xml.sgn"), Vector("CTLFile.tlv"));

        var result = await Phone().BootAsync(Ct);

        Assert.True(result.Accepted, Log(result));
        Assert.Equal("CTL and ITL installed", result.Status);
        Assert.NotNull(result.Ctl);
        Assert.Contains(result.Log, l => l.StartsWith("SECD: ITLFile.tlv: signer found in CTL", StringComparison.Ordinal));
        Assert.Contains("CTL MD5 ", EmulatedPhone.TrustList(_state).Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstCtl_OnAPhoneWithAnItl_IsAnInitialInstall()
    {
        Serve(Vector("ITLFile.tlv"), Vector("SEP0011215A1AE3.cnf.xml.sgn"));
        Assert.Equal("ITL installed", (await Phone().BootAsync(Ct)).Status);

        // The cluster went mixed: the CTL's signer must be vouched for by the installed ITL.
        Serve(Vector("ITLFile.tlv"), Vector("SEP0011215A1AE3.cnf.xml.sgn"), Vector("CTLFile.tlv"));
        var result = await Phone().BootAsync(Ct);

        Assert.True(result.Accepted, Log(result));
        Assert.Equal("CTL and ITL installed", result.Status);
        Assert.Contains(result.Log, l => l.StartsWith("SECD: CTLFile.tlv: signer found in ITL", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("7962", false)]
    [InlineData("8861", true)]
    public async Task Sha512Files_AreAcceptedOnlyByModelsThatKnowSha2(string model, bool accepted)
    {
        Serve(Vector("ITLFile-sha512.tlv"), Vector("SEP0011215A1AE3.cnf.xml.sha512.sgn"));

        var result = await Phone(model).BootAsync(Ct);

        Assert.Equal(accepted, result.Accepted);
        Assert.Equal(accepted ? "ITL installed" : "Trust List Update Failed", result.Status);
        Assert.Equal(accepted, File.Exists(Path.Combine(_state, PhoneState.ItlFile)));
        if (!accepted)
        {
            Assert.Contains(result.Log, l => l.Contains("model 7962 does not know digest", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ConfigWithAFlippedBit_IsRefused_AndThePreviousConfigStays()
    {
        Serve(Vector("ITLFile.tlv"), Vector("SEP0011215A1AE3.cnf.xml.sgn"));
        Assert.True((await Phone().BootAsync(Ct)).Accepted);

        Serve(Vector("ITLFile.tlv"), Vector("negative/payload-bitflip.cnf.xml.sgn"));
        var result = await Phone().BootAsync(Ct);

        Assert.Equal(BootOutcome.TrustFailed, result.Outcome);
        Assert.Equal($"File Auth Error SEP{Mac}.cnf.xml.sgn", result.Status);
        Assert.Equal(Vector("SEP0011215A1AE3.cnf.xml"), File.ReadAllBytes(Path.Combine(_state, PhoneState.ConfigFile)));
    }

    [Theory]
    [InlineData("empty.tlv")]
    [InlineData("header-length-too-big.tlv")]
    [InlineData("not-a-tlv.tlv")]
    [InlineData("record-length-overflow.tlv")]
    [InlineData("record-length-zero.tlv")]
    [InlineData("truncated-ITLFile.tlv")]
    [InlineData("unknown-header-tag.tlv")]
    public async Task BrokenItl_IsATrustFailure_NotACrash_AndInstallsNothing(string name)
    {
        Serve(Vector("negative/" + name), Vector("SEP0011215A1AE3.cnf.xml.sgn"));

        var result = await Phone().BootAsync(Ct);

        Assert.Equal(BootOutcome.TrustFailed, result.Outcome);
        Assert.Equal("Trust List Update Failed", result.Status);
        Assert.False(File.Exists(Path.Combine(_state, PhoneState.ItlFile)));
    }

    [Fact]
    public async Task NewItlFromAnUnknownSigner_IsRefusedWithoutTvs_AndTheInstalledOneStays()
    {
        Serve(Vector("ITLFile.tlv"), Vector("SEP0011215A1AE3.cnf.xml.sgn"));
        Assert.True((await Phone().BootAsync(Ct)).Accepted);
        using var stranger = TestSigner.Create("cucm8-publisher.lab.example");
        var (itl, config) = SignedBy(stranger);

        Serve(itl, config);
        var result = await Phone().BootAsync(Ct);

        Assert.Equal(BootOutcome.TrustFailed, result.Outcome);
        Assert.Equal("Trust List Update Failed", result.Status);
        Assert.Equal(TrustListHashes.Of(Vector("ITLFile.tlv")), result.Itl);
        Assert.Contains(result.Log, l => l.Contains("asking TVS", StringComparison.Ordinal));
        Assert.Empty(result.TvsAnswered);

        // Erasing the trust list makes the next boot trust whatever comes first.
        EmulatedPhone.Erase(_state);
        var fresh = await Phone().BootAsync(Ct);
        Assert.True(fresh.Accepted, Log(fresh));
        Assert.Equal(TrustListHashes.Of(itl), fresh.Itl);
    }

    [Fact]
    public async Task BlankRollbackItl_SignedByTheTrustedSigner_ThenAnyConfigAndAnyNextItlAreAccepted()
    {
        Serve(Vector("ITLFile.tlv"), Vector("SEP0011215A1AE3.cnf.xml.sgn"));
        Assert.True((await Phone().BootAsync(Ct)).Accepted);

        using var callManager = TestSigner.FromPem(SharedFiles.Require("vectors/certs/callmanager.pem"));
        using var stranger = TestSigner.Create("somewhere-else.lab.example");
        var blank = TrustListCodec.Build(
            new TrustListBuildOptions { Timestamp = 1_800_000_000, Blank = true },
            [TrustListRecordFactory.FromCertificate(callManager.Certificate, TrustRole.Sast), TrustListRecordFactory.FromCertificate(callManager.Certificate, TrustRole.Tftp)],
            callManager);
        Serve(blank, SignedBy(stranger).Config);
        var rollback = await Phone().BootAsync(Ct);
        Assert.True(rollback.Accepted, Log(rollback));
        Assert.Contains(rollback.Log, l => l.Contains("ITL is blank (rollback): accepted without signature check", StringComparison.Ordinal));

        var (itl, config) = SignedBy(stranger);
        Serve(itl, config);
        var migrated = await Phone().BootAsync(Ct);
        Assert.True(migrated.Accepted, Log(migrated));
        Assert.Equal(TrustListHashes.Of(itl), migrated.Itl);
    }

    [Fact]
    public async Task EncryptedConfig_IsDecryptedWithTheLsc_AndRefusedWithoutOne()
    {
        Serve(Vector("ITLFile.tlv"), Vector("enc/SEP0011215A1AE3.cnf.xml.sgn"));
        _server.Files[$"SEP{Mac}.cnf.xml.enc.sgn"] = Vector("enc/SEP0011215A1AE3.cnf.xml.enc.sgn");

        var withoutKey = await Phone().BootAsync(Ct);
        Assert.Equal(BootOutcome.Failed, withoutKey.Outcome);
        Assert.Equal("Encrypted config: no LSC", withoutKey.Status);

        File.Copy(SharedFiles.Require("vectors/certs/phone-lsc.pem"), Path.Combine(_state, PhoneState.LscFile));
        var result = await Phone().BootAsync(Ct);
        Assert.True(result.Accepted, Log(result));
        Assert.Equal($"SEP{Mac}.cnf.xml.enc.sgn", result.ConfigFile);
        Assert.Equal(Vector("SEP0011215A1AE3.cnf.xml"), File.ReadAllBytes(Path.Combine(_state, PhoneState.ConfigFile)));
    }

    [Fact]
    public async Task NoTrustListServed_ThePhoneTakesThePlainConfig()
    {
        _server.Files.Clear();
        _server.Files[$"SEP{Mac}.cnf.xml"] = Vector("SEP0011215A1AE3.cnf.xml");

        var result = await Phone().BootAsync(Ct);

        Assert.True(result.Accepted, Log(result));
        Assert.Equal("No Trust List installed", result.Status);
        Assert.Equal($"SEP{Mac}.cnf.xml", result.ConfigFile);
        Assert.DoesNotContain($"SEP{Mac}.cnf.xml.sgn", _server.Requested);
    }

    [Fact]
    public async Task ItlOver64KB_IsNotLoaded_TheSameSignersSmallerItlIs()
    {
        using var signer = TestSigner.Create("big-cluster-pub.lab.example");
        using var key = RSA.Create(4096);
        var records = new List<TrustListRecord>
        {
            TrustListRecordFactory.FromCertificate(signer.Certificate, TrustRole.Sast),
            TrustListRecordFactory.FromCertificate(signer.Certificate, TrustRole.Tftp),
        };

        // One TVS record (with its full certificate, as a CTL-style record) per node of a large cluster with 4096-bit
        // keys: 30 of them take the ITL past 64 KB.
        for (var i = 0; i < 30; i++)
        {
            using var tvs = X509CertificateLoader.LoadCertificate(TestPki.SelfSignedFor($"CN=big-cluster-sub{i}.lab.example", key, years: 5));
            records.Add(TrustListRecordFactory.FromCertificate(tvs, TrustRole.Tvs, fullCertificate: true));
        }

        var config = SignedBy(signer).Config;
        var big = TrustListCodec.Build(new TrustListBuildOptions { Timestamp = 1_800_000_000 }, records, signer);
        Assert.True(big.Length > PhoneModel.ItlLimitBytes, $"the test ITL is only {big.Length} bytes");
        Serve(big, config);

        var refused = await Phone("8861").BootAsync(Ct);

        Assert.Equal(BootOutcome.TrustFailed, refused.Outcome);
        Assert.Equal("Trust List Update Failed", refused.Status);
        Assert.Contains(refused.Log, l => l.Contains($"is {big.Length} bytes; this phone loads an ITL of at most 65536 bytes", StringComparison.Ordinal));
        Assert.Null(EmulatedPhone.TrustList(_state).Itl);

        Serve(TrustListCodec.Build(new TrustListBuildOptions { Timestamp = 1_800_000_000 }, records[..20], signer), config);
        var loaded = await Phone("8861").BootAsync(Ct);
        Assert.True(loaded.Accepted, Log(loaded));
    }

    /// <summary>An ITL (SAST + TFTP) and the vector config, both signed by <paramref name="signer"/>.</summary>
    private static (byte[] Itl, byte[] Config) SignedBy(TestSigner signer)
    {
        var itl = TrustListCodec.Build(
            new TrustListBuildOptions { Timestamp = 1_800_000_000 },
            [TrustListRecordFactory.FromCertificate(signer.Certificate, TrustRole.Sast), TrustListRecordFactory.FromCertificate(signer.Certificate, TrustRole.Tftp)],
            signer);
        var config = SgnCodec.Build(Vector("SEP0011215A1AE3.cnf.xml"), $"SEP{Mac}.cnf.xml.sgn", HashAlgorithmCode.Sha1, 1_800_000_000, signer);
        return (itl, config);
    }
}
