using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Events;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;
using SbdServer.Crypto.Encryption;
using SbdServer.Persistence.Database;
using SbdServer.Testing;
using SbdServer.Tftp;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// Every generated file of a three-node cluster through <c>GET /api/files</c> (and real TFTP), parsed with Wire and
/// verified with .NET RSA against the certificate the API reports for the expected signer.
/// </summary>
public sealed class GeneratedFileTests(ClusterFactory factory) : IClassFixture<ClusterFactory>
{
    private const string Pub = "cucm-pub";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("CallManager", "NonSecure")]
    [InlineData("ITLRecovery", "NonSecure")]
    [InlineData("CallManager", "Mixed")]
    [InlineData("ITLRecovery", "Mixed")]
    public async Task Itl_HasTheSignerAsSast_TheTftpNodesCallManager_OneTvsPerNode_AndTheCapf(string signerMode, string securityMode)
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", signerMode);
        await SetAsync(admin, "ClusterSecurityMode", securityMode);
        await SetAsync(admin, "PrepareClusterForRollbackToPre80", "False");
        await SetAsync(admin, "TftpFileSignatureAlgorithm", "SHA-1");

        foreach (var node in ClusterFactory.NodeNames)
        {
            var bytes = await GetFileAsync(admin, $"ITLFile.tlv?node={node}");
            var itl = TrustListCodec.Parse(bytes);
            var signer = await CertificateAsync(admin, signerMode == "ITLRecovery" ? Pub : node, signerMode);
            var callManager = await CertificateAsync(admin, node, "CallManager");

            Assert.Equal("ITLFile.tlv", itl.Header.FileName);
            Assert.Equal(HashAlgorithmCode.Sha1, itl.Header.HashAlgorithm);
            AssertSignedBy(itl.Signed, signer);
            // 12.x (ITLRecovery mode): the TFTP node's CallManager is a second SAST.
            TrustRole[] sast = signerMode == "ITLRecovery" ? [TrustRole.Sast, TrustRole.Sast] : [TrustRole.Sast];
            Assert.Equal(
                [.. sast, securityMode == "Mixed" ? TrustRole.CcmTftp : TrustRole.Tftp, TrustRole.Tvs, TrustRole.Tvs, TrustRole.Tvs, TrustRole.Capf],
                itl.Records.Select(r => r.Role));
            Assert.Equal(signer.RawData, itl.Records[0].Certificate);
            Assert.All(itl.Records.Skip(1).Take(sast.Length), r => Assert.Equal(callManager.RawData, r.Certificate));
            var tvsHashes = new List<byte[]>();
            foreach (var tvsNode in ClusterFactory.NodeNames)
            {
                tvsHashes.Add((await CertificateAsync(admin, tvsNode, "TVS")).GetCertHash());
            }

            Assert.Equal(tvsHashes, itl.Records.Where(r => r.Role == TrustRole.Tvs).Select(r => r.CertificateHash));
            Assert.Equal((await CertificateAsync(admin, Pub, "CAPF")).GetCertHash(), itl.Records[^1].CertificateHash);
        }

        // This node (the publisher) serves its own build; SHA-512 switches the digest.
        Assert.Equal(
            TrustListCodec.Parse(await GetFileAsync(admin, $"ITLFile.tlv?node={Pub}")).Records.Select(r => r.Certificate ?? r.CertificateHash),
            TrustListCodec.Parse(await GetFileAsync(admin, "ITLFile.tlv")).Records.Select(r => r.Certificate ?? r.CertificateHash));
        await SetAsync(admin, "TftpFileSignatureAlgorithm", "SHA-512");
        var sha512 = TrustListCodec.Parse(await GetFileAsync(admin, "ITLFile.tlv"));
        Assert.Equal(HashAlgorithmCode.Sha512, sha512.Header.HashAlgorithm);
        AssertSignedBy(sha512.Signed, await CertificateAsync(admin, Pub, signerMode));
        await SetAsync(admin, "TftpFileSignatureAlgorithm", "SHA-1");
    }

    [Fact]
    public async Task TwoInstances_BuildIdenticalBytesExceptTheTimestamp_AndUnrelatedChangesKeepTheBytes()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "ITLRecovery");
        await SetAsync(admin, "ClusterSecurityMode", "NonSecure");
        await SetAsync(admin, "PrepareClusterForRollbackToPre80", "False");
        var services = factory.Services;
        var served = await GetFileAsync(admin, "ITLFile.tlv");

        // A second instance of the same node (another process on the same database), 100 s later.
        using var other = new GeneratedFileCatalogue(
            services.GetRequiredService<ISecurityStore>(), services.GetRequiredService<IDeviceStore>(),
            services.GetRequiredService<GeneratedFileBuilder>(), services.GetRequiredService<ICertificateStoreEvents>(),
            services.GetRequiredService<LocalNodeOptions>(), new ShiftedTime(TimeSpan.FromSeconds(100)));
        var otherBytes = (await other.GetAsync("ITLFile.tlv", null, Ct))!.Bytes;

        var mine = TrustListCodec.Parse(served);
        var theirs = TrustListCodec.Parse(otherBytes);
        Assert.NotEqual(mine.Header.Timestamp, theirs.Header.Timestamp);
        Assert.Equal(mine.Signed.Body.ToArray(), theirs.Signed.Body.ToArray());
        Assert.Equal(mine.Header with { Timestamp = 0, Signature = [] }, theirs.Header with { Timestamp = 0, Signature = [] }, HeaderComparer.Instance);

        // A change that does not touch the ITL's inputs (a device, the tomcat certificate) rebuilds it to the same bytes.
        await CreateDeviceAsync(admin, "SEP0A0B0C0D0E05");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/nodes/{Pub}/certificates/tomcat/regenerate?confirm=true", null, Ct)).StatusCode);
        Assert.Equal(served, await GetFileAsync(admin, "ITLFile.tlv"));
    }

    [Fact]
    public async Task ACacheMiss_IsBuiltOffTheCallersThread_AndAHitAnswersAtOnce()
    {
        // The TFTP I/O thread looks files up itself; a miss must hand the RSA signing to another thread, or every
        // transfer in flight would wait for it.
        var services = factory.Services;
        using var catalogue = new GeneratedFileCatalogue(
            services.GetRequiredService<ISecurityStore>(), services.GetRequiredService<IDeviceStore>(),
            services.GetRequiredService<GeneratedFileBuilder>(), services.GetRequiredService<ICertificateStoreEvents>(),
            services.GetRequiredService<LocalNodeOptions>(), TimeProvider.System);
        Assert.NotNull(await catalogue.GetAsync("ITLFile.tlv", Pub, Ct)); // inputs loaded, one file built

        var context = new QueueingContext();
        var miss = context.Call(() => catalogue.GetAsync("ITLFile.tlv", "cucm-sub1", Ct));
        Assert.False(miss.IsCompleted, "the miss was built on the calling thread");
        Assert.Equal(1, context.Pending);
        context.RunPending();
        var built = await miss;
        Assert.NotNull(built);

        var hit = context.Call(() => catalogue.GetAsync("ITLFile.tlv", "cucm-sub1", Ct));
        Assert.True(hit.IsCompletedSuccessfully, "a cached file must not leave the calling thread");
        Assert.Equal(0, context.Pending);
        Assert.Same(built, await hit);
    }

    [Fact]
    public async Task Rollback_ServesTheSignedBlankItl()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "CallManager");
        await SetAsync(admin, "PrepareClusterForRollbackToPre80", "True");
        try
        {
            var itl = TrustListCodec.Parse(await GetFileAsync(admin, "ITLFile.tlv"));

            Assert.True(itl.IsBlank);
            Assert.All(itl.Records, r => Assert.Null(r.Role));
            Assert.Equal(6, itl.Records.Count);
            AssertSignedBy(itl.Signed, await CertificateAsync(admin, Pub, "CallManager"));
        }
        finally
        {
            await SetAsync(admin, "PrepareClusterForRollbackToPre80", "False");
        }
    }

    [Fact]
    public async Task Ctl_IsNotFoundInNonSecureMode_AndSignedLikeTheItlInMixedMode()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "ITLRecovery");
        await SetAsync(admin, "ClusterSecurityMode", "NonSecure");
        await CreateDeviceAsync(admin, "SEP0A0B0C0D0E01");

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/CTLFile.tlv", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/CTLSEP0A0B0C0D0E01.tlv", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/CTLFile.tlv?node=cucm-sub2", Ct)).StatusCode);

        await SetAsync(admin, "ClusterSecurityMode", "Mixed");
        try
        {
            var ctl = TrustListCodec.Parse(await GetFileAsync(admin, "CTLFile.tlv"));
            Assert.Equal("CTLFile.tlv", ctl.Header.FileName);
            AssertSignedBy(ctl.Signed, await CertificateAsync(admin, Pub, "ITLRecovery"));
            Assert.Equal([TrustRole.Sast, TrustRole.CcmTftp, TrustRole.CcmTftp, TrustRole.CcmTftp, TrustRole.Capf], ctl.Records.Select(r => r.Role));
            Assert.All(ctl.Records, r => Assert.NotNull(r.Certificate));
            Assert.Equal(IPAddress.Parse("10.0.0.11").GetAddressBytes(), ctl.Records[2].IpAddress);
            Assert.Equal(await GetFileAsync(admin, "CTLFile.tlv"), await GetFileAsync(admin, "CTLSEP0A0B0C0D0E01.tlv"));
        }
        finally
        {
            await SetAsync(admin, "ClusterSecurityMode", "NonSecure");
        }
    }

    /// <summary>
    /// Scenario 20: the CTL is written at mixed-mode enable and by the CTL update only, so a CallManager regenerated in
    /// between stays listed with its old certificate (the served file does not change at all) until the update.
    /// </summary>
    [Fact]
    public async Task Ctl_KeepsTheSetWrittenAtMixedMode_AfterARegeneration_UntilTheCtlUpdate()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "ITLRecovery");
        await SetAsync(admin, "ClusterSecurityMode", "NonSecure");
        var none = await admin.GetFromJsonAsync<JsonElement>("/api/ctl", Ct);
        Assert.False(none.GetProperty("mixedMode").GetBoolean());
        Assert.Equal(0, none.GetProperty("records").GetArrayLength());
        var refused = await admin.PostAsync("/api/ctl/update", null, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("not in mixed mode", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await SetAsync(admin, "ClusterSecurityMode", "Mixed");
        try
        {
            var written = await GetFileAsync(admin, "CTLFile.tlv");
            var current = await admin.GetFromJsonAsync<JsonElement>("/api/ctl", Ct);
            Assert.False(current.GetProperty("stale").GetBoolean());
            Assert.Equal(
                ["SAST", "CCM+TFTP", "CCM+TFTP", "CCM+TFTP", "CAPF"],
                current.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("role").GetString()));
            using var old = await CertificateAsync(admin, "cucm-sub1", "CallManager");

            Assert.Equal(HttpStatusCode.OK,
                (await admin.PostAsync("/api/nodes/cucm-sub1/certificates/CallManager/regenerate?confirm=true", null, Ct)).StatusCode);
            using var fresh = await CertificateAsync(admin, "cucm-sub1", "CallManager");
            Assert.Equal(written, await GetFileAsync(admin, "CTLFile.tlv"));
            Assert.Equal(written, await GetFileAsync(admin, "CTLFile.tlv?node=cucm-sub1"));
            var stale = await admin.GetFromJsonAsync<JsonElement>("/api/ctl", Ct);
            Assert.True(stale.GetProperty("stale").GetBoolean());
            Assert.StartsWith("CallManager of cucm-sub1 (CCM+TFTP) was regenerated after the CTL was written",
                Assert.Single(stale.GetProperty("differences").EnumerateArray()).GetString(), StringComparison.Ordinal);
            Assert.Contains(stale.GetProperty("records").EnumerateArray(),
                r => r.GetProperty("node").GetString() == "cucm-sub1" && !r.GetProperty("current").GetBoolean());
            Assert.Contains("utils ctl update", stale.GetProperty("advice").GetString(), StringComparison.Ordinal);

            var update = await admin.PostAsync("/api/ctl/update", null, Ct);
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
            Assert.False((await update.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("stale").GetBoolean());
            var ctl = TrustListCodec.Parse(await GetFileAsync(admin, "CTLFile.tlv"));
            AssertSignedBy(ctl.Signed, await CertificateAsync(admin, Pub, "ITLRecovery"));
            Assert.Contains(ctl.Records, r => r.Role == TrustRole.CcmTftp && r.Certificate!.AsSpan().SequenceEqual(fresh.RawData));
            Assert.DoesNotContain(ctl.Records, r => r.Certificate!.AsSpan().SequenceEqual(old.RawData));
            var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit", Ct);
            Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "ctl.update"
                && a.GetProperty("details").GetString()!.Contains("CallManager of cucm-sub1 (CCM+TFTP) was regenerated", StringComparison.Ordinal));
        }
        finally
        {
            await SetAsync(admin, "ClusterSecurityMode", "NonSecure");
        }
    }

    [Fact]
    public async Task PerDeviceItl_CarriesTheClusterName_AndUnknownDevicesFallBack()
    {
        using var admin = factory.Admin();
        await CreateDeviceAsync(admin, "SEP0A0B0C0D0E02");

        // An unknown device asking first after a change must not spoil the cluster ITL for everyone.
        factory.Services.GetRequiredService<GeneratedFileCatalogue>().Invalidate();
        var unknown = await GetFileAsync(admin, "ITLSEP0A0B0C0D0EFF.tlv");
        var perDevice = TrustListCodec.Parse(await GetFileAsync(admin, "ITLSEP0A0B0C0D0E02.tlv"));

        Assert.Equal("ITLFile.tlv", perDevice.Header.FileName);
        Assert.Equal(await GetFileAsync(admin, "ITLFile.tlv"), perDevice.Signed.Bytes.ToArray());
        Assert.Equal(await GetFileAsync(admin, "ITLFile.tlv"), unknown);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/SEP0A0B0C0D0EFF.cnf.xml", Ct)).StatusCode);
    }

    [Fact]
    public async Task Config_FollowsTheGroupOrder_AndItsSgnIsSignedByTheTftpNodesCallManager()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "CallManager");
        await CreateDeviceAsync(admin, "SEP0A0B0C0D0E03", securityProfile: "Authenticated");
        await ReorderDefaultGroupAsync(["cucm-sub2", "cucm-pub", "cucm-sub1"]);
        try
        {
            var xml = XDocument.Parse(Encoding.UTF8.GetString(await GetFileAsync(admin, "SEP0A0B0C0D0E03.cnf.xml")));
            var tvs = xml.Root!.Element("TVS")!.Element("members")!.Elements("member").Select(m => m.Element("address")!.Value);
            var members = xml.Root.Descendants("callManager").Select(c => c.Element("name")!.Value);
            Assert.Equal(["cucm-sub2.lab.example", "cucm-pub.lab.example", "cucm-sub1.lab.example"], tvs);
            Assert.Equal(["cucm-sub2", "cucm-pub", "cucm-sub1"], members);
            Assert.Equal("cucm-pub.lab.example", xml.Root.Element("capfList")!.Element("capf")!.Element("processNodeName")!.Value);
            Assert.Equal("2", xml.Root.Element("deviceSecurityMode")!.Value);
            Assert.StartsWith("https://cucm-sub2.lab.example:8443/", xml.Root.Element("authenticationURL")!.Value, StringComparison.Ordinal);

            var sgn = SgnCodec.Parse(await GetFileAsync(admin, "SEP0A0B0C0D0E03.cnf.xml.sgn"));
            Assert.Equal("SEP0A0B0C0D0E03.cnf.xml.sgn", sgn.Header.FileName);
            Assert.Equal(await GetFileAsync(admin, "SEP0A0B0C0D0E03.cnf.xml"), sgn.Body.ToArray());
            AssertSignedBy(sgn, await CertificateAsync(admin, Pub, "CallManager"));
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/SEP0A0B0C0D0E03.cnf.xml.enc.sgn", Ct)).StatusCode);
        }
        finally
        {
            await ReorderDefaultGroupAsync(ClusterFactory.NodeNames);
        }
    }

    /// <summary>
    /// Issue 12 fix 1: only the trust lists move to ITLRecovery; every other signed file is signed by the CallManager
    /// of the node that builds it, in both signer modes (cucm-reference fact 8).
    /// </summary>
    [Theory]
    [InlineData("CallManager")]
    [InlineData("ITLRecovery")]
    public async Task EverySignedFileKind_VerifiesWithTheTftpNodesCallManager_InBothSignerModes(string signerMode)
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", signerMode);
        // The class shares one cluster and the ITL theory leaves it in mixed mode (CCM+TFTP, no TFTP record).
        await SetAsync(admin, "ClusterSecurityMode", "NonSecure");
        await SetAsync(admin, "PrepareClusterForRollbackToPre80", "False");
        const string Plain = "SEP0A0B0C0D0E06", Encrypted = "SEP0A0B0C0D0E07";
        await CreateDeviceAsync(admin, Plain, securityProfile: "Authenticated");
        await CreateDeviceAsync(admin, Encrypted, securityProfile: "Encrypted");
        using var phoneKey = RSA.Create(2048);
        var phoneDer = TestPki.SelfSignedFor("CN=CP-8861-" + Encrypted, phoneKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/devices/{Encrypted}/certificate", new ByteArrayContent(phoneDer), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/devices/{Encrypted}", new { encryptedConfig = true }, Ct)).StatusCode);
        await SetAsync(admin, "AutoRegistration", "True");
        try
        {
            using var itlRecovery = await CertificateAsync(admin, Pub, "ITLRecovery");
            foreach (var node in new[] { Pub, "cucm-sub1" })
            {
                using var callManager = await CertificateAsync(admin, node, "CallManager");
                var files = new List<(string Name, SignedFile File)>
                {
                    (Plain + ".cnf.xml.sgn", SgnCodec.Parse(await GetFileAsync(admin, $"{Plain}.cnf.xml.sgn?node={node}"))),
                    (Encrypted + ".cnf.xml.sgn", SgnCodec.Parse(await GetFileAsync(admin, $"{Encrypted}.cnf.xml.sgn?node={node}"))),
                    (Encrypted + ".cnf.xml.enc.sgn", Wire.EncSgn.EncSgnCodec.Parse(await GetFileAsync(admin, $"{Encrypted}.cnf.xml.enc.sgn?node={node}"))),
                    ("XMLDefault.cnf.xml.sgn", SgnCodec.Parse(await GetFileAsync(admin, $"XMLDefault.cnf.xml.sgn?node={node}"))),
                };
                if (node == Pub)
                {
                    // Static files are signed by the serving node only (no node= on the static root).
                    files.Add(("ringlist.xml.sgn", SgnCodec.Parse(await GetFileAsync(admin, "ringlist.xml.sgn"))));
                }

                foreach (var (name, file) in files)
                {
                    Assert.True(VerifiesWith(file, callManager), $"{name} from {node} in {signerMode} mode does not verify with its CallManager");
                    Assert.False(VerifiesWith(file, itlRecovery), $"{name} from {node} in {signerMode} mode is signed by ITLRecovery");
                    AssertSignedBy(file, callManager);
                }

                var itl = TrustListCodec.Parse(await GetFileAsync(admin, $"ITLFile.tlv?node={node}"));
                Assert.Equal(signerMode == "ITLRecovery", VerifiesWith(itl.Signed, itlRecovery));
                Assert.Equal(callManager.RawData, itl.Records.Single(r => r.Role == TrustRole.Tftp).Certificate);
            }
        }
        finally
        {
            await SetAsync(admin, "AutoRegistration", "False");
        }
    }

    [Fact]
    public async Task HostAddress_NamesTheNodeInConfigs_WhileCertificatesAndTheItlKeepTheHostName()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "CallManager");
        await CreateDeviceAsync(admin, "SEP0A0B0C0D0E08", securityProfile: "Authenticated");
        await SetAsync(admin, "AutoRegistration", "True");
        var itl = await GetFileAsync(admin, "ITLFile.tlv");
        var callManager = await admin.GetStringAsync($"/api/nodes/{Pub}/certificates/CallManager/pem", Ct);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/nodes/{Pub}/host", new { hostAddress = "10.0.0.10" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/nodes/cucm-sub2/host", new { hostAddress = "sub2.phones.example" }, Ct)).StatusCode);

            foreach (var name in new[] { "SEP0A0B0C0D0E08.cnf.xml", "XMLDefault.cnf.xml" })
            {
                var root = XDocument.Parse(Encoding.UTF8.GetString(await GetFileAsync(admin, name))).Root!;
                Assert.Equal(
                    ["10.0.0.10", "cucm-sub1.lab.example", "sub2.phones.example"],
                    root.Element("TVS")!.Element("members")!.Elements("member").Select(m => m.Element("address")!.Value));
                Assert.Equal(
                    ["10.0.0.10", "cucm-sub1.lab.example", "sub2.phones.example"],
                    root.Descendants("callManager").Select(c => c.Element("processNodeName")!.Value));
                Assert.Equal("10.0.0.10", root.Descendants("capf").Single().Element("processNodeName")!.Value);
            }

            var config = XDocument.Parse(Encoding.UTF8.GetString(await GetFileAsync(admin, "SEP0A0B0C0D0E08.cnf.xml"))).Root!;
            Assert.StartsWith("https://10.0.0.10:8443/", config.Element("authenticationURL")!.Value, StringComparison.Ordinal);

            // Certificates keep the host name, so the ITL is the same file.
            Assert.Equal(callManager, await admin.GetStringAsync($"/api/nodes/{Pub}/certificates/CallManager/pem", Ct));
            Assert.Equal(itl, await GetFileAsync(admin, "ITLFile.tlv"));

            var bad = await admin.PutAsJsonAsync($"/api/nodes/{Pub}/host", new { hostAddress = "not a host!" }, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("neither a host name nor an IP address", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            var both = await admin.PutAsJsonAsync($"/api/nodes/{Pub}/host", new { hostAddress = "10.0.0.10", fqdn = "x.lab.example" }, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
            var nodes = await admin.GetFromJsonAsync<JsonElement>("/api/nodes", Ct);
            Assert.Contains(nodes.EnumerateArray(), n => n.GetProperty("name").GetString() == Pub && n.GetProperty("hostAddress").GetString() == "10.0.0.10");
        }
        finally
        {
            await admin.PutAsJsonAsync($"/api/nodes/{Pub}/host", new { hostAddress = "" }, Ct);
            await admin.PutAsJsonAsync("/api/nodes/cucm-sub2/host", new { hostAddress = "" }, Ct);
            await SetAsync(admin, "AutoRegistration", "False");
        }

        var reset = XDocument.Parse(Encoding.UTF8.GetString(await GetFileAsync(admin, "SEP0A0B0C0D0E08.cnf.xml"))).Root!;
        Assert.Equal("cucm-pub.lab.example", reset.Descendants("capf").Single().Element("processNodeName")!.Value);
    }

    [Fact]
    public async Task BulkItlReset_SignsEveryNodesItlWithItsCallManager_UntilEnded_AndOnlyInItlRecoveryMode()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "ITLRecovery");
        await SetAsync(admin, "ClusterSecurityMode", "NonSecure");
        await SetAsync(admin, "PrepareClusterForRollbackToPre80", "False");
        using var itlRecovery = await CertificateAsync(admin, Pub, "ITLRecovery");
        await CreateDeviceAsync(admin, "SEP0A0B0C0D0E1A");
        var plan = await admin.PostAsJsonAsync("/api/plan", new { changes = new[] { new { action = "itl-reset", value = "localkey" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        // Other tests in this class leave a device holding an older ITL (planned as at risk whatever changes); the reset
        // itself must lock out no phone that holds the ITL served now.
        var planned = await plan.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var devices = planned.GetProperty("devices").EnumerateArray().ToList();
        Assert.NotEmpty(devices);
        Assert.All(devices.Where(d => d.GetProperty("itl").GetString() != "Stale"), d => Assert.True(d.GetProperty("keepsTrust").GetBoolean(), d.ToString()));
        Assert.Equal(devices.Count(d => d.GetProperty("itl").GetString() == "Stale"), planned.GetProperty("lost").GetInt32());
        try
        {
            var started = await admin.PostAsync("/api/itl/reset?key=localkey", null, Ct);
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            var view = await started.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(view.GetProperty("active").GetBoolean());
            Assert.Equal("CallManager", view.GetProperty("signer").GetString());

            foreach (var node in new[] { Pub, "cucm-sub1" })
            {
                using var callManager = await CertificateAsync(admin, node, "CallManager");
                var itl = TrustListCodec.Parse(await GetFileAsync(admin, $"ITLFile.tlv?node={node}"));
                AssertSignedBy(itl.Signed, callManager);
                Assert.Equal([TrustRole.Sast, TrustRole.Sast, TrustRole.Tftp], itl.Records.Take(3).Select(r => r.Role));
                Assert.Equal(itlRecovery.RawData, itl.Records[0].Certificate);
                Assert.Equal(callManager.RawData, itl.Records[1].Certificate);
                AssertSignedBy(SgnCodec.Parse(await GetFileAsync(admin, $"ringlist.xml.sgn")), await CertificateAsync(admin, Pub, "CallManager"));
            }

            var again = await (await admin.PostAsync("/api/itl/reset", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Empty(again.GetProperty("resetDevices").EnumerateArray());
            var remote = await admin.PostAsync("/api/itl/reset?key=remotekey", null, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, remote.StatusCode);
            Assert.Contains("not supported", await remote.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/api/itl/reset", Ct)).StatusCode);
        }

        var normal = TrustListCodec.Parse(await GetFileAsync(admin, "ITLFile.tlv"));
        AssertSignedBy(normal.Signed, itlRecovery);
        Assert.Equal([TrustRole.Sast, TrustRole.Sast, TrustRole.Tftp], normal.Records.Take(3).Select(r => r.Role));
        Assert.Equal(itlRecovery.RawData, normal.Records[0].Certificate);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>("/api/itl/reset", Ct)).GetProperty("active").GetBoolean());
        Assert.Contains((await admin.GetFromJsonAsync<JsonElement>("/api/audit", Ct)).EnumerateArray(), a => a.GetProperty("action").GetString() == "itl.reset");

        await SetAsync(admin, "ItlSignerMode", "CallManager");
        try
        {
            var refused = await admin.PostAsync("/api/itl/reset", null, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("ITLRecovery signer mode", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        finally
        {
            await SetAsync(admin, "ItlSignerMode", "ITLRecovery");
        }
    }

    [Fact]
    public async Task EncryptedConfig_DecryptsWithTheDeviceKeyToTheFullConfig_StubCarriesTheMd5_OffMeansNotFound()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "ITLRecovery");
        const string Name = "SEP0A0B0C0D0E04";
        await CreateDeviceAsync(admin, Name, securityProfile: "Encrypted");
        using var phoneKey = RSA.Create(2048);
        var phoneDer = TestPki.SelfSignedFor("CN=CP-8861-" + Name, phoneKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/devices/{Name}/certificate", new ByteArrayContent(phoneDer), Ct)).StatusCode);
        var plain = Encoding.UTF8.GetString(await GetFileAsync(admin, Name + ".cnf.xml"));
        var md5 = Convert.ToHexStringLower(MD5.HashData(phoneDer));
        Assert.Contains($"<certHash>{md5}</certHash>", plain, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/devices/{Name}", new { encryptedConfig = true }, Ct)).StatusCode);

        var signer = await CertificateAsync(admin, Pub, "CallManager");
        var encSgn = Wire.EncSgn.EncSgnCodec.Parse(await GetFileAsync(admin, Name + ".cnf.xml.enc.sgn"));
        AssertSignedBy(encSgn, signer);
        var decrypted = Encoding.UTF8.GetString(ConfigEncryptor.Decrypt(encSgn, phoneKey));
        Assert.Equal(plain.Replace("<encrConfig>false</encrConfig>", "<encrConfig>true</encrConfig>", StringComparison.Ordinal), decrypted);
        var stub = SgnCodec.Parse(await GetFileAsync(admin, Name + ".cnf.xml.sgn"));
        AssertSignedBy(stub, signer);
        var stubText = Encoding.UTF8.GetString(stub.Body.Span);
        Assert.Contains(md5, stubText, StringComparison.Ordinal);
        Assert.DoesNotContain("callManager", stubText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/files/{Name}.cnf.xml", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/devices/{Name}", new { encryptedConfig = false }, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/files/{Name}.cnf.xml.enc.sgn", Ct)).StatusCode);
        Assert.Equal(await GetFileAsync(admin, Name + ".cnf.xml"), SgnCodec.Parse(await GetFileAsync(admin, Name + ".cnf.xml.sgn")).Body.ToArray());
    }

    [Fact]
    public async Task Regeneration_ChangesTheItl_OverTheApiAndRealTftp_OnTheNextRequest()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "CallManager");
        await SetAsync(admin, "PrepareClusterForRollbackToPre80", "False");
        var before = await GetFileAsync(admin, "ITLFile.tlv");
        Assert.Equal(before, await TftpGetAsync("ITLFile.tlv"));

        var regenerated = await admin.PostAsync($"/api/nodes/{Pub}/certificates/TVS/regenerate?confirm=true", null, Ct);
        Assert.Equal(HttpStatusCode.OK, regenerated.StatusCode);

        var after = await GetFileAsync(admin, "ITLFile.tlv");
        Assert.NotEqual(before, after);
        var tvs = await CertificateAsync(admin, Pub, "TVS");
        Assert.Equal(tvs.GetCertHash(), TrustListCodec.Parse(after).Records.First(r => r.Role == TrustRole.Tvs).CertificateHash);
        Assert.Equal(after, await TftpGetAsync("ITLFile.tlv"));
        Assert.Equal(after, await TftpGetAsync("/itlfile.TLV"));
    }

    /// <summary>Signers are kept between builds (SignerPool): a regenerated key must replace them at once.</summary>
    [Fact]
    public async Task Config_AfterCallManagerRegeneration_IsSignedWithTheNewKey_NeverTheKeptOldOne()
    {
        using var admin = factory.Admin();
        const string Device = "SEP0A0B0C0D0E0A";
        await CreateDeviceAsync(admin, Device, securityProfile: "Authenticated");
        using var before = await CertificateAsync(admin, Pub, "CallManager");
        Assert.True(VerifiesWith(SgnCodec.Parse(await GetFileAsync(admin, Device + ".cnf.xml.sgn")), before));

        var regenerated = await admin.PostAsync($"/api/nodes/{Pub}/certificates/CallManager/regenerate?confirm=true", null, Ct);
        Assert.Equal(HttpStatusCode.OK, regenerated.StatusCode);

        using var after = await CertificateAsync(admin, Pub, "CallManager");
        var again = SgnCodec.Parse(await GetFileAsync(admin, Device + ".cnf.xml.sgn"));
        Assert.True(VerifiesWith(again, after), "the config is not signed with the regenerated CallManager key");
        Assert.False(VerifiesWith(again, before), "the config is still signed with the replaced CallManager key");
        AssertSignedBy(again, after);
    }

    [Fact]
    public async Task StaticFile_IsSignedOnRequest_ButAnExistingSgnIsServedAsItIs()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "ITLRecovery");

        var signed = SgnCodec.Parse(await GetFileAsync(admin, "ringlist.xml.sgn"));

        Assert.Equal("ringlist.xml.sgn", signed.Header.FileName);
        Assert.Equal(ClusterFactory.RingList, signed.Body.ToArray());
        AssertSignedBy(signed, await CertificateAsync(admin, Pub, "CallManager"));
        Assert.Equal(ClusterFactory.RingList, await GetFileAsync(admin, "RingList.xml"));
        Assert.Equal(ClusterFactory.Firmware, await GetFileAsync(admin, "firmware.sgn"));
        Assert.Equal(await GetFileAsync(admin, "ringlist.xml.sgn"), await TftpGetAsync("ringlist.xml.sgn"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/missing.xml.sgn", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/.sgn", Ct)).StatusCode);
    }

    [Fact]
    public async Task XmlDefault_IsServedOnlyWithAutoRegistration()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "CallManager");
        await SetAsync(admin, "AutoRegistration", "False");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/XMLDefault.cnf.xml", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/files/XMLDefault.cnf.xml.sgn", Ct)).StatusCode);

        await SetAsync(admin, "AutoRegistration", "True");
        try
        {
            var xml = await GetFileAsync(admin, "XMLDefault.cnf.xml");
            var root = XDocument.Parse(Encoding.UTF8.GetString(xml)).Root!;
            Assert.Equal("Default", root.Name.LocalName);
            Assert.Equal(
                ClusterFactory.NodeNames.Select(n => n + ".lab.example"),
                root.Element("TVS")!.Element("members")!.Elements("member").Select(m => m.Element("address")!.Value));
            var sgn = SgnCodec.Parse(await GetFileAsync(admin, "XMLDefault.cnf.xml.sgn"));
            Assert.Equal(xml, sgn.Body.ToArray());
            Assert.Equal("XMLDefault.cnf.xml.sgn", sgn.Header.FileName);
            AssertSignedBy(sgn, await CertificateAsync(admin, Pub, "CallManager"));
        }
        finally
        {
            await SetAsync(admin, "AutoRegistration", "False");
        }
    }

    [Fact]
    public async Task ServedFileRecord_IsNeverFetched_ThenInSyncAfterATftpFetch_ThenStaleAfterAnItlChange()
    {
        using var admin = factory.Admin();
        await SetAsync(admin, "ItlSignerMode", "CallManager");
        await SetAsync(admin, "ClusterSecurityMode", "NonSecure");
        const string Name = "SEP0A0B0C0D0E06";
        await CreateDeviceAsync(admin, Name);
        Assert.Equal("NeverFetched", await TrustStateAsync(admin, Name, "ITL"));

        var fetched = await TftpGetAsync($"ITLSEP{Name[3..]}.tlv");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await TrustStateAsync(admin, Name, "ITL") != "InSync" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        var itl = (await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{Name}", Ct)).GetProperty("trust")[0];
        Assert.Equal("InSync", itl.GetProperty("state").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(fetched)), itl.GetProperty("servedSha1").GetString());
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(fetched)), itl.GetProperty("servedMd5").GetString());
        Assert.Equal("NeverFetched", await TrustStateAsync(admin, Name, "CTL"));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/nodes/{Pub}/certificates/CAPF/regenerate?confirm=true", null, Ct)).StatusCode);

        Assert.Equal("Stale", await TrustStateAsync(admin, Name, "ITL"));
    }

    private static async Task<string?> TrustStateAsync(HttpClient admin, string device, string file)
    {
        var trust = (await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{device}", Ct)).GetProperty("trust");
        return trust.EnumerateArray().Single(t => t.GetProperty("file").GetString() == file).GetProperty("state").GetString();
    }

    /// <summary>Holds every continuation posted to it until <see cref="RunPending"/>: shows what left the caller's thread.</summary>
    private sealed class QueueingContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

        public int Pending => _posted.Count;

        public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

        public T Call<T>(Func<T> action)
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try
            {
                return action();
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }

        public void RunPending() => Call(() =>
        {
            while (_posted.TryDequeue(out var posted))
            {
                posted.Callback(posted.State);
            }

            return 0;
        });
    }

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    private sealed class HeaderComparer : IEqualityComparer<SignedHeader>
    {
        public static readonly HeaderComparer Instance = new();

        public bool Equals(SignedHeader? x, SignedHeader? y) =>
            x is not null && y is not null && x.SignerName == y.SignerName && x.IssuerName == y.IssuerName
            && x.SerialNumber.SequenceEqual(y.SerialNumber) && x.HashAlgorithm == y.HashAlgorithm && x.FileName == y.FileName
            && x.HeaderLength == y.HeaderLength && x.KeySizeBits == y.KeySizeBits;

        public int GetHashCode(SignedHeader obj) => obj.SignerName.GetHashCode(StringComparison.Ordinal);
    }

    private static bool VerifiesWith(SignedFile file, X509Certificate2 certificate)
    {
        using var key = certificate.GetRSAPublicKey()!;
        var hash = file.Header.HashAlgorithm == HashAlgorithmCode.Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA1;
        return key.VerifyData(file.SignedBytes, file.Header.Signature, hash, RSASignaturePadding.Pkcs1);
    }

    private static void AssertSignedBy(SignedFile file, X509Certificate2 signer)
    {
        using var key = signer.GetRSAPublicKey()!;
        var hash = file.Header.HashAlgorithm == HashAlgorithmCode.Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA1;
        Assert.True(key.VerifyData(file.SignedBytes, file.Header.Signature, hash, RSASignaturePadding.Pkcs1), "signature does not verify");
        Assert.Equal(signer.SerialNumberBytes.ToArray().SkipWhile(b => b == 0), file.Header.SerialNumber.SkipWhile(b => b == 0));
    }

    private async Task<byte[]> GetFileAsync(HttpClient admin, string nameAndQuery)
    {
        var response = await admin.GetAsync("/api/files/" + nameAndQuery, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{nameAndQuery}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private static async Task<X509Certificate2> CertificateAsync(HttpClient admin, string node, string name)
    {
        var pem = await admin.GetStringAsync($"/api/nodes/{node}/certificates/{name}/pem", Ct);
        return X509Certificate2.CreateFromPem(pem);
    }

    private static async Task SetAsync(HttpClient admin, string parameter, string value)
    {
        var response = await admin.PutAsJsonAsync($"/api/parameters/{parameter}", new { value }, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{parameter}={value}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task CreateDeviceAsync(HttpClient admin, string name, string securityProfile = "NonSecure")
    {
        if ((await admin.GetAsync($"/api/devices/{name}", Ct)).StatusCode == HttpStatusCode.OK)
        {
            return;
        }

        var response = await admin.PostAsJsonAsync("/api/devices", new { name, model = "8861", securityProfile }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    // There is no group-editing route yet; the test edits the table and drops the catalogue cache as a change event would.
    private async Task ReorderDefaultGroupAsync(IReadOnlyList<string> order)
    {
        await using (var db = new SbdDbContextFactory(factory.Database).Create())
        {
            var group = await db.CallManagerGroups.SingleAsync(g => g.Name == "Default", Ct);
            group.NodeNames = [.. order];
            await db.SaveChangesAsync(Ct);
        }

        factory.Services.GetRequiredService<GeneratedFileCatalogue>().Invalidate();
    }

    private async Task<byte[]> TftpGetAsync(string name)
    {
        var server = factory.Services.GetRequiredService<TftpServerService>().LocalEndPoint!;
        using var udp = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var request = new List<byte> { 0, 1 };
        request.AddRange(Encoding.ASCII.GetBytes(name));
        request.Add(0);
        request.AddRange("octet"u8.ToArray());
        request.Add(0);
        await udp.SendAsync(request.ToArray(), new IPEndPoint(IPAddress.Loopback, server.Port), Ct);
        using var file = new MemoryStream();
        ushort expected = 1;
        while (true)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var packet = await udp.ReceiveAsync(timeout.Token);
            var data = packet.Buffer;
            Assert.True(data.Length >= 4 && data[1] == 3, $"TFTP answered opcode {(data.Length > 1 ? data[1] : -1)}");
            var block = (ushort)((data[2] << 8) | data[3]);
            if (block == expected)
            {
                file.Write(data, 4, data.Length - 4);
                expected++;
            }

            await udp.SendAsync(new byte[] { 0, 4, data[2], data[3] }, packet.RemoteEndPoint, Ct);
            if (block == (ushort)(expected - 1) && data.Length - 4 < 512)
            {
                return file.ToArray();
            }
        }
    }
}
