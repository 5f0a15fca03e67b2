using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using SbdServer.Core.Backup;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Impact;
using SbdServer.Core.Parameters;
using SbdServer.Core.Storage;
using SbdServer.Testing;
using SbdServer.Wire.Itl;
using Xunit;

namespace SbdServer.Persistence.Tests;

/// <summary>The security store and its use cases on a real database; run once per provider by the subclasses.</summary>
public abstract class SecurityStoreTests(DatabaseTarget target)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstStart_CreatesClusterNodeAndCertificates_SecondStartRegeneratesNothing()
    {
        var database = await target.NewDatabaseAsync();
        SecuritySnapshot first;
        using (var start1 = SecurityHarness.Create(database))
        {
            Assert.Equal(ClusterBootstrapper.Outcome.ClusterCreated, await start1.Bootstrapper.EnsureAsync(Ct));
            first = await start1.Store.LoadAsync(Ct);
        }

        Assert.NotNull(first.Cluster);
        var node = Assert.Single(first.Nodes);
        Assert.True(node.IsPublisher);
        Assert.Equal(CertificateStores.Identities.Order(), first.Identities.Select(c => c.Name).Order());
        Assert.All(first.Identities, c => Assert.StartsWith("CN=", c.Subject.Split(';').First(p => p.StartsWith("CN=", StringComparison.Ordinal)), StringComparison.Ordinal));
        Assert.Contains(first.Identities, c => c.Name == CertificateStores.CallManager && c.Subject.Contains("CN=pub.lab.example", StringComparison.Ordinal));

        using var start2 = SecurityHarness.Create(database);
        Assert.Equal(ClusterBootstrapper.Outcome.Existing, await start2.Bootstrapper.EnsureAsync(Ct));
        var second = await start2.Store.LoadAsync(Ct);
        foreach (var before in first.Identities)
        {
            var after = second.Identities.Single(c => c.Id == before.Id);
            Assert.Equal(before.Der, after.Der);
            Assert.Equal(before.ProtectedKey, after.ProtectedKey);
            Assert.Equal(before.Sha256, after.Sha256);
            var key = start2.OpenKey(after);
            Assert.True(start2.Inspector.KeyMatches(after.Der, key));
            Assert.Equal(KeyAlgorithm.Rsa2048, after.KeyAlgorithm);
        }

        Assert.Empty(await start2.Store.GetHistoryAsync(Ct));
    }

    [Fact]
    public async Task Start_WithWrongPassword_IsRefused_AndNothingChanges()
    {
        var database = await target.NewClusterAsync();
        using var right = SecurityHarness.Create(database);
        var before = await right.Store.LoadAsync(Ct);
        var auditBefore = (await right.Store.GetAuditAsync(1000, Ct)).Count;

        using var wrong = SecurityHarness.Create(database, password: "not the cluster password", node: "sub1");
        var ex = await Assert.ThrowsAsync<WrongPasswordException>(() => wrong.Bootstrapper.EnsureAsync(Ct));
        Assert.Contains("Sbd:Cluster:SecurityPassword", ex.Message, StringComparison.Ordinal);

        var after = await right.Store.LoadAsync(Ct);
        Assert.Equal(before.Identities.Select(c => c.Sha256).Order(), after.Identities.Select(c => c.Sha256).Order());
        Assert.Equal(before.Nodes.Count, after.Nodes.Count);
        Assert.Equal(auditBefore, (await right.Store.GetAuditAsync(1000, Ct)).Count);
    }

    [Fact]
    public async Task SecondNode_Joins_WithItsOwnCertificates_AndTheClusterItlRecovery()
    {
        var database = await target.NewClusterAsync();
        using var sub = SecurityHarness.Create(database, node: "sub1");

        Assert.Equal(ClusterBootstrapper.Outcome.NodeJoined, await sub.Bootstrapper.EnsureAsync(Ct));

        var state = await sub.Store.LoadAsync(Ct);
        var node = state.FindNode("sub1")!;
        Assert.False(node.IsPublisher);
        Assert.Equal(CertificateStores.NodeIdentities.Order(), state.Identities.Where(c => c.NodeId == node.Id).Select(c => c.Name).Order());
        Assert.Single(state.Identities, c => c.Name == CertificateStores.ItlRecovery);
        Assert.Equal(["pub", "sub1"], state.Groups.Single().NodeNames);
    }

    [Fact]
    public async Task HostAddress_ComesFromConfiguration_APutChangesIt_CertificatesKeepTheHostName()
    {
        var database = await target.NewDatabaseAsync();
        using (var first = SecurityHarness.Create(database, hostAddress: "10.0.0.1"))
        {
            await first.Bootstrapper.EnsureAsync(Ct);
        }

        using var harness = SecurityHarness.Create(database);
        await harness.Bootstrapper.EnsureAsync(Ct); // unset in configuration: the stored value stays
        var state = await harness.Store.LoadAsync(Ct);
        var node = state.FindNode("pub")!;
        Assert.Equal("10.0.0.1", node.HostAddress);
        Assert.Equal("10.0.0.1", node.PhoneFacingHost);
        var certificates = state.Identities.Select(c => c.Sha256).Order().ToList();
        Assert.Contains(state.Identities, c => c.Name == CertificateStores.CallManager && c.Subject.Contains("CN=pub.lab.example", StringComparison.Ordinal));

        Assert.Equal("pub.lab.example", (await harness.Hosts.SetHostAddressAsync("pub", " pub.lab.example ", "tester", Ct)).HostAddress);
        Assert.Null((await harness.Hosts.SetHostAddressAsync("pub", "", "tester", Ct)).HostAddress);
        Assert.Equal("pub.lab.example", (await harness.Store.LoadAsync(Ct)).FindNode("pub")!.PhoneFacingHost);
        foreach (var bad in new[] { "bad host!", "10.0.1", "999.1.1.1", "fe80::zz" })
        {
            var ex = await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Hosts.SetHostAddressAsync("pub", bad, "tester", Ct));
            Assert.Contains("neither a host name nor an IP address", ex.Message, StringComparison.Ordinal);
        }

        using (var restart = SecurityHarness.Create(database, hostAddress: "10.0.0.9"))
        {
            await restart.Bootstrapper.EnsureAsync(Ct); // a configured value is applied at every start
        }

        var after = await harness.Store.LoadAsync(Ct);
        Assert.Equal("10.0.0.9", after.FindNode("pub")!.HostAddress);
        Assert.Equal(certificates, after.Identities.Select(c => c.Sha256).Order());
        Assert.Contains(await harness.Store.GetAuditAsync(1000, Ct), a => a.Action == "node.host-address");
    }

    [Fact]
    public async Task Regenerate_ReplacesCertificateAndKey_KeepsOldInHistory_AndRaisesEvent()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var before = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tomcat);
        var seen = new ConcurrentQueue<CertificateStoreChange>();
        using var subscription = harness.Events.Subscribe(seen.Enqueue);

        var report = await harness.Regeneration.RegenerateAsync("pub", "tomcat", KeyAlgorithm.Rsa1024, confirm: false, "tester", Ct);

        Assert.True(report.Applied);
        var after = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tomcat);
        Assert.Equal(before.Id, after.Id);
        Assert.NotEqual(before.Sha256, after.Sha256);
        Assert.Equal(KeyAlgorithm.Rsa1024, after.KeyAlgorithm);
        Assert.Equal(1024, harness.Inspector.Inspect(after.Der).KeySizeBits);
        Assert.True(harness.Inspector.KeyMatches(after.Der, harness.OpenKey(after)));

        var material = await harness.Queries.GetIdentityWithKeyAsync("pub", "tomcat", Ct);
        Assert.Equal(after.Der, material.CertificateDer);
        Assert.True(harness.Inspector.KeyMatches(material.CertificateDer, material.PrivateKeyPkcs8));

        var history = Assert.Single(await harness.Store.GetHistoryAsync(Ct));
        Assert.Equal(before.Der, history.Der);
        Assert.Equal(before.ProtectedKey, history.ProtectedKey);
        Assert.Equal(before.Sha256, history.Sha256);

        var change = Assert.Single(seen);
        Assert.Equal(CertificateStoreChangeKind.IdentityCertificateChanged, change.Kind);
        Assert.Equal(after.Sha256, change.Sha256);
        Assert.Contains(await harness.Store.GetAuditAsync(10, Ct), a => a.Action == "certificate.regenerate" && a.Actor == "tester");
    }

    [Fact]
    public async Task Regenerate_CallManagerRightAfterTvs_NeedsConfirmation_UntilPropagated()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        await harness.Parameters.SetParameterAsync(EnterpriseParameterCatalog.ItlSignerMode, "CallManager", "tester", Ct);
        await harness.Regeneration.RegenerateAsync("pub", "TVS", null, confirm: false, "tester", Ct);
        var callManagerBefore = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.CallManager);

        var refused = await Assert.ThrowsAsync<ConfirmationRequiredException>(
            () => harness.Regeneration.RegenerateAsync("pub", "CallManager", null, confirm: false, "tester", Ct));

        Assert.True(refused.Report.RequiresConfirmation);
        Assert.False(refused.Report.Applied);
        Assert.Equal(callManagerBefore.Sha256, (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.CallManager).Sha256);

        await harness.Itl.MarkItlPropagatedAsync("pub", "tester", Ct);
        var report = await harness.Regeneration.RegenerateAsync("pub", "CallManager", null, confirm: false, "tester", Ct);

        Assert.True(report.Applied);
        Assert.False(report.RequiresConfirmation);
    }

    [Fact]
    public async Task Regenerate_WithConfirm_AppliesADangerousChange()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        await harness.Parameters.SetParameterAsync(EnterpriseParameterCatalog.ItlSignerMode, "CallManager", "tester", Ct);
        await harness.Regeneration.RegenerateAsync("pub", "TVS", null, confirm: false, "tester", Ct);

        var report = await harness.Regeneration.RegenerateAsync("pub", "CallManager", null, confirm: true, "tester", Ct);

        Assert.True(report.Applied);
        Assert.True(report.RequiresConfirmation);
        Assert.Equal(2, (await harness.Store.GetHistoryAsync(Ct)).Count);
    }

    [Fact]
    public async Task TrustUpload_PemChain_IsStoredAndIndexed_AndDeleteRemovesIt()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var root = harness.Factory.CreateSelfSigned(
            new CertificateSpec(new SubjectName("Test Root CA", "TAC", "Cisco"), Purpose: CertificatePurpose.Authority),
            DateTimeOffset.UtcNow.AddDays(-1));
        var leaf = harness.Factory.CreateSigned(
            new CertificateSpec(new SubjectName("dir.lab.example", "TAC", "Cisco")), DateTimeOffset.UtcNow.AddDays(-1), root);
        var pem = System.Text.Encoding.ASCII.GetBytes(
            harness.Codec.WriteCertificatePem(leaf.CertificateDer) + harness.Codec.WriteCertificatePem(root.CertificateDer));

        var stored = await harness.Trust.UploadTrustAsync("tomcat-trust", pem, "tester", Ct);

        Assert.Equal(2, stored.Count);
        Assert.All(stored, v => Assert.Equal(CertificateStores.TomcatTrust, v.Store));
        Assert.All(stored, v => Assert.Equal([TrustRole.AppServer], v.Roles));
        await using (var db = harness.Contexts.Create())
        {
            var bySha = await db.TrustCertificates.AsNoTracking().SingleAsync(c => c.Sha256 == stored[0].Sha256, Ct);
            Assert.Equal(leaf.CertificateDer, bySha.Der);
            var bySerial = await db.TrustCertificates.AsNoTracking()
                .SingleAsync(c => c.SerialNumber == stored[1].SerialNumber && c.Issuer == stored[1].Issuer, Ct);
            Assert.Equal(root.CertificateDer, bySerial.Der);
        }

        // Uploading again is idempotent.
        Assert.Equal(2, (await harness.Trust.UploadTrustAsync("tomcat-trust", leaf.CertificateDer.Length > 0 ? pem : [], "tester", Ct)).Count);
        Assert.Equal(2, (await harness.Store.LoadAsync(Ct)).TrustCertificates.Count);

        await harness.Trust.DeleteTrustAsync("tomcat-trust", stored[0].Sha256, "tester", Ct);

        Assert.Equal([stored[1].Sha256], (await harness.Store.LoadAsync(Ct)).TrustCertificates.Select(c => c.Sha256));
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Trust.DeleteTrustAsync("tomcat-trust", stored[0].Sha256, "tester", Ct));
    }

    [Fact]
    public async Task TrustUpload_BadCertificates_AreRefusedWithAReason_AndNothingIsStored()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var expired = harness.Factory.CreateSelfSigned(
            new CertificateSpec(new SubjectName("old.lab.example"), ValidityYears: 1), DateTimeOffset.UtcNow.AddYears(-3));
        var wildcard = harness.Factory.CreateSelfSigned(
            new CertificateSpec(new SubjectName("*.lab.example")), DateTimeOffset.UtcNow.AddDays(-1));
        var good = harness.Factory.CreateSelfSigned(
            new CertificateSpec(new SubjectName("good.lab.example")), DateTimeOffset.UtcNow.AddDays(-1));
        var chainWithExpired = System.Text.Encoding.ASCII.GetBytes(
            harness.Codec.WriteCertificatePem(good.CertificateDer) + harness.Codec.WriteCertificatePem(expired.CertificateDer));

        var cases = new (string Store, byte[] Body, string Because)[]
        {
            ("CallManager-trust", expired.CertificateDer, "xpired"),
            ("CallManager-trust", wildcard.CertificateDer, "ildcard"),
            ("CallManager-trust", [0x30, 0x82, 0x01, 0x00, 0x01], ""),
            ("CallManager-trust", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"u8.ToArray(), ""),
            ("CallManager-trust", [], "empty"),
            ("CallManager-trust", chainWithExpired, "xpired"),
            ("No-Such-trust", good.CertificateDer, "not a trust store"),
        };
        foreach (var (store, body, because) in cases)
        {
            var ex = await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Trust.UploadTrustAsync(store, body, "tester", Ct));
            Assert.Contains(because, ex.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }

        Assert.Empty((await harness.Store.LoadAsync(Ct)).TrustCertificates);
    }

    [Fact]
    public async Task Parameters_AreValidated_AndPersisted()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());

        Assert.Equal("SHA-1", await harness.Parameters.GetParameterAsync("TftpFileSignatureAlgorithm", Ct));
        Assert.Equal("SHA-512", await harness.Parameters.SetParameterAsync("tftpfilesignaturealgorithm", "sha-512", "tester", Ct));
        Assert.Equal("SHA-512", await harness.Parameters.GetParameterAsync("TftpFileSignatureAlgorithm", Ct));
        Assert.Equal("https://pub.lab.example:8443/ccmcip/authenticate.jsp", await harness.Parameters.GetParameterAsync("SecuredAuthenticationUrl", Ct));

        await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Parameters.SetParameterAsync("TftpFileSignatureAlgorithm", "MD5", "t", Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Parameters.SetParameterAsync("SecuredIdleUrl", "http://x/", "t", Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Parameters.SetParameterAsync("NoSuchParameter", "x", "t", Ct));
        Assert.Equal("SHA-512", await harness.Parameters.GetParameterAsync("TftpFileSignatureAlgorithm", Ct));
    }

    [Fact]
    public async Task Backup_RestoredOntoAnEmptyDatabase_IsByteIdentical()
    {
        using var source = SecurityHarness.Create(await target.NewClusterAsync());
        await source.Regeneration.RegenerateAsync("pub", "ipsec", null, confirm: false, "tester", Ct);
        var ca = source.Factory.CreateSelfSigned(
            new CertificateSpec(new SubjectName("Other CUCM"), Purpose: CertificatePurpose.Authority), DateTimeOffset.UtcNow.AddDays(-1));
        await source.Trust.UploadTrustAsync("Phone-SAST-trust", ca.CertificateDer, "tester", Ct);
        var archive = await source.Backups.CreateAsync("tester", Ct);
        var expected = await source.Store.ExportAsync(Ct);

        using var restored = SecurityHarness.Create(await target.NewDatabaseAsync());
        await restored.Backups.RestoreAsync(archive, "tester", Ct);
        var actual = await restored.Store.ExportAsync(Ct);

        Assert.Equal(expected.State.Cluster!.PasswordVerifier, actual.State.Cluster!.PasswordVerifier);
        Assert.Equal(expected.State.Nodes.Select(n => (n.Id, n.Name, n.Fqdn)), actual.State.Nodes.Select(n => (n.Id, n.Name, n.Fqdn)));
        foreach (var want in expected.State.Identities)
        {
            var got = actual.State.Identities.Single(c => c.Id == want.Id);
            Assert.Equal(want.Der, got.Der);
            Assert.Equal(want.ProtectedKey, got.ProtectedKey);
            Assert.Equal(source.OpenKey(want), restored.OpenKey(got));
        }

        Assert.Equal(expected.History.Select(h => (h.Id, Convert.ToHexString(h.Der), Convert.ToHexString(h.ProtectedKey))).Order(),
            actual.History.Select(h => (h.Id, Convert.ToHexString(h.Der), Convert.ToHexString(h.ProtectedKey))).Order());
        Assert.Equal(expected.State.TrustCertificates.Select(c => Convert.ToHexString(c.Der)), actual.State.TrustCertificates.Select(c => Convert.ToHexString(c.Der)));
        Assert.Equal(expected.State.Parameters.Select(p => (p.Name, p.Value)).Order(), actual.State.Parameters.Select(p => (p.Name, p.Value)).Order());

        // The restored state starts like the original: same password, nothing regenerated.
        Assert.Equal(ClusterBootstrapper.Outcome.Existing, await restored.Bootstrapper.EnsureAsync(Ct));
    }

    /// <summary>Scenario 20: the CTL's set is written at mixed mode and by the CTL update only, and survives a backup.</summary>
    [Fact]
    public async Task CtlSet_IsWrittenAtMixedMode_KeptThroughARegenerationAndABackup_RewrittenByTheCtlUpdate()
    {
        using var source = SecurityHarness.Create(await target.NewClusterAsync());
        await source.Parameters.SetParameterAsync(EnterpriseParameterCatalog.ItlSignerMode, "CallManager", "tester", Ct);
        await source.Parameters.SetParameterAsync(EnterpriseParameterCatalog.ClusterSecurityMode, "Mixed", "tester", Ct);
        var written = (await source.Store.LoadAsync(Ct)).CtlCertificates;
        var callManager = (await source.Store.LoadAsync(Ct)).Identities.Single(i => i.Name == CertificateStores.CallManager);
        Assert.Equal(["CallManager", "CallManager", "CAPF"], written.Select(c => c.Name));
        Assert.Equal(callManager.ProtectedKey, written[0].ProtectedKey);

        await source.Regeneration.RegenerateAsync("pub", CertificateStores.CallManager, null, confirm: true, "tester", Ct);
        var kept = (await source.Store.LoadAsync(Ct)).CtlCertificates;
        Assert.Equal(written.Select(c => (c.Id, c.Sha256)), kept.Select(c => (c.Id, c.Sha256)));
        Assert.True((await source.Ctl.GetCtlAsync(Ct)).Stale);

        var archive = await source.Backups.CreateAsync("tester", Ct);
        using var restored = SecurityHarness.Create(await target.NewDatabaseAsync());
        await restored.Backups.RestoreAsync(archive, "tester", Ct);
        var restoredSet = (await restored.Store.LoadAsync(Ct)).CtlCertificates;
        Assert.Equal(kept.Select(c => (c.Id, c.Position, c.Role, c.Sha256, Convert.ToHexString(c.ProtectedKey), c.CapturedAt.ToUnixTimeSeconds())),
            restoredSet.Select(c => (c.Id, c.Position, c.Role, c.Sha256, Convert.ToHexString(c.ProtectedKey), c.CapturedAt.ToUnixTimeSeconds())));

        // A CSCtn50405 backup lacks the CallManager keys, the CTL signer's copy included.
        var keyless = await source.Backups.CreateAsync("tester", new BackupOptions(OmitCallManagerKeys: true), Ct);
        await source.Backups.RestoreAsync(keyless, "tester", new RestoreOptions(MissingKeyPolicy.KeepCurrent), Ct);
        Assert.All((await source.Store.LoadAsync(Ct)).CtlCertificates, c => Assert.Empty(c.ProtectedKey));

        var updated = await source.Ctl.UpdateCtlAsync("tester", Ct);
        Assert.False(updated.Stale);
        Assert.NotEmpty((await source.Store.LoadAsync(Ct)).CtlCertificates[0].ProtectedKey);
        var now = (await source.Store.LoadAsync(Ct)).Identities.Single(i => i.Name == CertificateStores.CallManager);
        Assert.All((await source.Store.LoadAsync(Ct)).CtlCertificates.Where(c => c.Name == CertificateStores.CallManager),
            c => Assert.Equal(now.Sha256, c.Sha256));
        Assert.Contains(await source.Store.GetAuditAsync(10, Ct), a => a.Action == "ctl.update" && a.Details.Contains("was regenerated", StringComparison.Ordinal));

        await source.Parameters.SetParameterAsync(EnterpriseParameterCatalog.ClusterSecurityMode, "NonSecure", "tester", Ct);
        Assert.Empty((await source.Store.LoadAsync(Ct)).CtlCertificates);
        await Assert.ThrowsAsync<InvalidInputException>(() => source.Ctl.UpdateCtlAsync("tester", Ct));
    }

    [Fact]
    public async Task Restore_WithWrongPasswordOrTruncatedArchive_IsRefused_AndNothingChanges()
    {
        var database = await target.NewClusterAsync();
        using var harness = SecurityHarness.Create(database);
        var archive = await harness.Backups.CreateAsync("tester", Ct);
        using var otherPassword = SecurityHarness.Create(database, password: "another password");
        var foreign = await otherPassword.Backups.CreateAsync("tester", Ct);
        var before = await harness.Store.ExportAsync(Ct);

        var wrong = await Assert.ThrowsAsync<WrongPasswordException>(() => harness.Backups.RestoreAsync(foreign, "tester", Ct));
        Assert.Contains("password", wrong.Message, StringComparison.Ordinal);
        var truncated = await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Backups.RestoreAsync(archive[..(archive.Length / 2)], "tester", Ct));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Backups.RestoreAsync([], "tester", Ct));
        var tampered = (byte[])archive.Clone();
        tampered[^5] ^= 0x40;
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => harness.Backups.RestoreAsync(tampered, "tester", Ct));

        var after = await harness.Store.ExportAsync(Ct);
        Assert.Equal(before.State.Identities.Select(c => Convert.ToHexString(c.ProtectedKey)).Order(),
            after.State.Identities.Select(c => Convert.ToHexString(c.ProtectedKey)).Order());
        Assert.Equal(before.Audit.Count + 0, after.Audit.Count);
    }

    [Fact]
    public async Task Restore_OfABackupLackingAPrivateKey_IsRefused()
    {
        var database = await target.NewClusterAsync();
        using var harness = SecurityHarness.Create(database);

        // CSCtn50405: a backup whose CallManager key is missing.
        await using (var db = harness.Contexts.Create())
        {
            var callManager = await db.IdentityCertificates.SingleAsync(c => c.Name == CertificateStores.CallManager, Ct);
            callManager.ProtectedKey = [];
            await db.SaveChangesAsync(Ct);
        }

        var archive = await harness.Backups.CreateAsync("tester", Ct);
        using var empty = SecurityHarness.Create(await target.NewDatabaseAsync());

        var ex = await Assert.ThrowsAnyAsync<InvalidInputException>(() => empty.Backups.RestoreAsync(archive, "tester", Ct));

        Assert.Contains("lacks the private key of pub/CallManager", ex.Message, StringComparison.Ordinal);
        Assert.Null((await empty.Store.LoadAsync(Ct)).Cluster);
    }

    [Fact]
    public async Task CaSignedCertificate_ForAPendingCsr_IsAcceptedOnlyWhenItMatchesTheKeyAndChainsToTheTrustStore()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var before = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tomcat);
        var ca = harness.Factory.CreateSelfSigned(
            new CertificateSpec(new SubjectName("Lab Issuing CA", "PKI", "Cisco"), Purpose: CertificatePurpose.Authority),
            DateTimeOffset.UtcNow.AddDays(-1));

        var csr = await harness.Csrs.CreateCsrAsync("pub", "tomcat", null, "tester", Ct);
        var signed = TestPki.SignCsr(csr, ca);
        var stranger = harness.Factory.CreateSigned(
            new CertificateSpec(new SubjectName("pub.lab.example")), DateTimeOffset.UtcNow.AddDays(-1), ca);

        // The CA is not in tomcat-trust yet.
        var untrusted = await Assert.ThrowsAnyAsync<InvalidInputException>(
            () => harness.Csrs.AcceptSignedAsync("pub", "tomcat", signed, confirm: false, "tester", Ct));
        Assert.Contains("tomcat-trust", untrusted.Message, StringComparison.Ordinal);

        await harness.Trust.UploadTrustAsync("tomcat-trust", ca.CertificateDer, "tester", Ct);
        var mismatch = await Assert.ThrowsAnyAsync<InvalidInputException>(
            () => harness.Csrs.AcceptSignedAsync("pub", "tomcat", stranger.CertificateDer, confirm: false, "tester", Ct));
        Assert.Contains("neither the key of the pending CSR", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal(before.Sha256, (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tomcat).Sha256);

        var report = await harness.Csrs.AcceptSignedAsync("pub", "tomcat", signed, confirm: false, "tester", Ct);

        Assert.True(report.Applied);
        var after = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tomcat);
        Assert.Equal(signed, after.Der);
        Assert.Null(after.PendingCsrKey);
        Assert.Null(after.PendingCsr);
        Assert.Null(after.PendingCsrAt);
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Csrs.GetPendingAsync("pub", "tomcat", Ct));
        Assert.True(harness.Inspector.KeyMatches(after.Der, harness.OpenKey(after)));
        Assert.Contains("CN=Lab Issuing CA", after.Issuer, StringComparison.Ordinal);
        Assert.Equal(before.Sha256, Assert.Single(await harness.Store.GetHistoryAsync(Ct)).Sha256);
        await Assert.ThrowsAnyAsync<InvalidInputException>(
            () => harness.Csrs.AcceptSignedAsync("pub", "tomcat", signed, confirm: false, "tester", Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(
            () => harness.Csrs.CreateCsrAsync("pub", "ipsec", null, "tester", Ct));
    }

    [Fact]
    public async Task PendingCsr_IsKeptAcrossInstances_ReplacedByANewOne_AndDeletedWithAnAuditEntry()
    {
        var database = await target.NewClusterAsync();
        using var harness = SecurityHarness.Create(database);
        var before = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tvs);

        var first = await harness.Csrs.CreateCsrAsync("pub", "TVS", KeyAlgorithm.EcP384, "tester", Ct);

        // Another instance (a restart, another node) serves the same request; the key stays sealed and the certificate is untouched.
        using (var other = SecurityHarness.Create(database))
        {
            var pending = await other.Csrs.GetPendingAsync("pub", "tvs", Ct);
            Assert.Equal(first, pending.Der);
            Assert.Equal(("pub", CertificateStores.Tvs, "EC 384"), (pending.Node, pending.Name, pending.Facts.KeyType));
            Assert.Contains("CN=pub.lab.example", pending.Facts.Subject, StringComparison.Ordinal);
            Assert.Equal<string>(["pub.lab.example"], pending.Facts.DnsNames);
            Assert.NotNull(pending.CreatedAt);
            Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", pending.Pem, StringComparison.Ordinal);
            var row = (await other.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tvs);
            Assert.Equal(before.Sha256, row.Sha256);
            Assert.True(other.Inspector.CsrKeyMatches(first, other.Keys.Unprotect(row.PendingCsrKey!)));
        }

        // A second CSR for the same certificate replaces the first one, request and key.
        var second = await harness.Csrs.CreateCsrAsync("pub", "TVS", null, "tester", Ct);
        Assert.NotEqual(first, second);
        var listed = Assert.Single(await harness.Csrs.GetAllPendingAsync(Ct));
        Assert.Equal(CertificateStores.Tvs, listed.Name);
        Assert.Equal(second, listed.Der);
        Assert.Equal("RSA 2048", listed.Facts.KeyType);

        await harness.Csrs.DeletePendingAsync("pub", "TVS", "remover", Ct);

        var deleted = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tvs);
        Assert.Equal((null, null, null), (deleted.PendingCsrKey, deleted.PendingCsr, deleted.PendingCsrAt));
        Assert.Equal(before.Sha256, deleted.Sha256);
        Assert.Empty(await harness.Csrs.GetAllPendingAsync(Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Csrs.GetPendingAsync("pub", "TVS", Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Csrs.DeletePendingAsync("pub", "TVS", "remover", Ct));
        var audit = await harness.Store.GetAuditAsync(10, Ct);
        Assert.Contains(audit, a => a.Action == "certificate.csr.delete" && a.Actor == "remover" && a.Target == "pub/TVS"
            && a.Details.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(second)), StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "certificate.csr" && a.Details.Contains("replaced the pending CSR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CaSignedCertificate_ForTheCurrentKey_IsInstalled_AndLeavesThePendingCsrOpen()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var ca = harness.Factory.CreateSelfSigned(
            new CertificateSpec(new SubjectName("Lab Issuing CA", "PKI", "Cisco"), Purpose: CertificatePurpose.Authority),
            DateTimeOffset.UtcNow.AddDays(-1));
        await harness.Trust.UploadTrustAsync("tomcat-trust", ca.CertificateDer, "tester", Ct);
        var current = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tomcat);
        var reissued = TestPki.SignCsr(
            harness.Factory.CreateCsr(new CertificateSpec(new SubjectName("pub.lab.example")), harness.OpenKey(current)), ca);
        var pendingCsr = await harness.Csrs.CreateCsrAsync("pub", "tomcat", null, "tester", Ct);

        var report = await harness.Csrs.AcceptSignedAsync("pub", "tomcat", reissued, confirm: false, "tester", Ct);

        Assert.True(report.Applied);
        var after = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tomcat);
        Assert.Equal(reissued, after.Der);
        Assert.Equal(current.ProtectedKey, after.ProtectedKey);
        Assert.Equal(pendingCsr, (await harness.Csrs.GetPendingAsync("pub", "tomcat", Ct)).Der);

        // The same certificate again is refused by name rather than stored twice.
        var again = await Assert.ThrowsAsync<InvalidInputException>(
            () => harness.Csrs.AcceptSignedAsync("pub", "tomcat", reissued, confirm: false, "tester", Ct));
        Assert.Contains("already the current tomcat certificate", again.Message, StringComparison.Ordinal);

        // The CSR's certificate then ends the CSR.
        await harness.Csrs.AcceptSignedAsync("pub", "tomcat", TestPki.SignCsr(pendingCsr, ca), confirm: false, "tester", Ct);
        Assert.Empty(await harness.Csrs.GetAllPendingAsync(Ct));

        // With no CSR pending, a certificate for a stranger key says that none is pending.
        var stranger = harness.Factory.CreateSigned(
            new CertificateSpec(new SubjectName("pub.lab.example")), DateTimeOffset.UtcNow.AddDays(-1), ca);
        var refused = await Assert.ThrowsAsync<InvalidInputException>(
            () => harness.Csrs.AcceptSignedAsync("pub", "tomcat", stranger.CertificateDer, confirm: false, "tester", Ct));
        Assert.Contains("none is pending", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PendingCsr_SurvivesABackup_ButNotOneWithoutTheCallManagerKeys_AndATamperedOneIsRefused()
    {
        using var source = SecurityHarness.Create(await target.NewClusterAsync());
        var tomcatCsr = await source.Csrs.CreateCsrAsync("pub", "tomcat", null, "tester", Ct);
        await source.Csrs.CreateCsrAsync("pub", "CallManager", null, "tester", Ct);
        var expected = (await source.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tomcat);
        var archive = await source.Backups.CreateAsync("tester", Ct);

        using var restored = SecurityHarness.Create(await target.NewDatabaseAsync());
        await restored.Backups.RestoreAsync(archive, "tester", Ct);
        var got = (await restored.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.Tomcat);
        Assert.Equal(tomcatCsr, got.PendingCsr);
        Assert.Equal(expected.PendingCsrKey, got.PendingCsrKey);
        Assert.Equal(expected.PendingCsrAt!.Value.ToUnixTimeMilliseconds(), got.PendingCsrAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal([CertificateStores.CallManager, CertificateStores.Tomcat],
            (await restored.Csrs.GetAllPendingAsync(Ct)).Select(p => p.Name).Order(StringComparer.Ordinal));

        var keyless = await source.Backups.CreateAsync("tester", new BackupOptions(OmitCallManagerKeys: true), Ct);
        await source.Backups.RestoreAsync(keyless, "tester", new RestoreOptions(MissingKeyPolicy.KeepCurrent), Ct);
        Assert.Equal([CertificateStores.Tomcat], (await source.Csrs.GetAllPendingAsync(Ct)).Select(p => p.Name));

        // A CSR whose stored key is another one's cannot be completed: the restore refuses it and changes nothing.
        await using (var db = source.Contexts.Create())
        {
            var tomcat = await db.IdentityCertificates.SingleAsync(c => c.Name == CertificateStores.Tomcat, Ct);
            tomcat.PendingCsrKey = tomcat.ProtectedKey;
            await db.SaveChangesAsync(Ct);
        }

        var tampered = await source.Backups.CreateAsync("tester", Ct);
        using var empty = SecurityHarness.Create(await target.NewDatabaseAsync());
        var ex = await Assert.ThrowsAnyAsync<InvalidInputException>(() => empty.Backups.RestoreAsync(tampered, "tester", Ct));
        Assert.Contains("pending CSR of pub/tomcat", ex.Message, StringComparison.Ordinal);
        Assert.Null((await empty.Store.LoadAsync(Ct)).Cluster);
    }

    [Fact]
    public async Task PendingKey_FromBeforeCsrsWereKept_IsServedAsARequestForThatKey()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        await harness.Csrs.CreateCsrAsync("pub", "CallManager", null, "tester", Ct);
        await using (var db = harness.Contexts.Create())
        {
            var row = await db.IdentityCertificates.SingleAsync(c => c.Name == CertificateStores.CallManager, Ct);
            row.PendingCsr = null;
            row.PendingCsrAt = null;
            await db.SaveChangesAsync(Ct);
        }

        var pending = await harness.Csrs.GetPendingAsync("pub", "CallManager", Ct);

        Assert.Null(pending.CreatedAt);
        var identity = (await harness.Store.LoadAsync(Ct)).Identities.Single(c => c.Name == CertificateStores.CallManager);
        Assert.True(harness.Inspector.CsrKeyMatches(pending.Der, harness.Keys.Unprotect(identity.PendingCsrKey!)));
        Assert.Contains("CN=pub.lab.example", pending.Facts.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostChange_RegeneratesAllOfTheNodesCertificates_AfterConfirmation()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var before = await harness.Store.LoadAsync(Ct);

        var refused = await Assert.ThrowsAsync<ConfirmationRequiredException>(
            () => harness.Hosts.ChangeHostAsync("pub", "cucm-new.lab.example", "10.0.0.99", confirm: false, "tester", Ct));
        Assert.True(refused.Report.Groups.Single().PhonesLocked);
        Assert.Equal(before.Identities.Select(c => c.Sha256).Order(), (await harness.Store.LoadAsync(Ct)).Identities.Select(c => c.Sha256).Order());
        await Assert.ThrowsAnyAsync<InvalidInputException>(
            () => harness.Hosts.ChangeHostAsync("pub", "not a host name", null, confirm: true, "tester", Ct));

        var report = await harness.Hosts.ChangeHostAsync("pub", "cucm-new.lab.example", "10.0.0.99", confirm: true, "tester", Ct);

        Assert.True(report.Applied);
        var after = await harness.Store.LoadAsync(Ct);
        Assert.Equal("cucm-new.lab.example", after.Nodes.Single().Fqdn);
        Assert.Equal("10.0.0.99", after.Nodes.Single().IpAddress);
        Assert.Empty(after.Identities.Select(c => c.Sha256).Intersect(before.Identities.Select(c => c.Sha256)));
        Assert.Contains(after.Identities, c => c.Name == CertificateStores.CallManager && c.Subject.Contains("CN=cucm-new.lab.example", StringComparison.Ordinal));
        Assert.Equal(before.Identities.Count, (await harness.Store.GetHistoryAsync(Ct)).Count);
    }

    [Fact]
    public async Task BulkExportFromOneCluster_ImportsIntoAnotherWithCucmsStoreMapping()
    {
        using var source = SecurityHarness.Create(await target.NewClusterAsync());

        // Another cluster (a copy of the same template is enough to check the mapping).
        using var destination = SecurityHarness.Create(await target.NewClusterAsync());
        const string password = "bulk export password";
        var sourceState = await source.Store.LoadAsync(Ct);

        var expected = new Dictionary<string, string[]>
        {
            ["CallManager"] = ["CallManager-trust", "Phone-SAST-trust"],
            ["ITLRecovery"] = ["CallManager-trust", "Phone-SAST-trust"],
            ["tomcat"] = ["tomcat-trust"],
            ["CAPF"] = ["CallManager-trust"],
        };
        foreach (var (name, stores) in expected)
        {
            var pkcs12 = await source.Bulk.ExportPkcs12Async("pub", name, password, "tester", Ct);
            var imported = await destination.Bulk.ImportBulkAsync(name, pkcs12, password, "tester", Ct);

            Assert.Equal(stores, imported.Select(v => v.Store).Order());
            var sha256 = sourceState.Identities.Single(c => c.Name == name).Sha256;
            Assert.All(imported, v => Assert.Equal(sha256, v.Sha256));
        }

        var trust = (await destination.Store.LoadAsync(Ct)).TrustCertificates;
        Assert.Equal(6, trust.Count);
        Assert.Contains(await source.Store.GetAuditAsync(50, Ct), a => a.Action == "certificate.export");

        var good = await source.Bulk.ExportPkcs12Async("pub", "tomcat", password, "tester", Ct);
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => source.Bulk.ExportPkcs12Async("pub", "tomcat", "short", "t", Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => source.Bulk.ExportPkcs12Async("pub", "ipsec", password, "t", Ct));
        await Assert.ThrowsAsync<WrongPasswordException>(() => destination.Bulk.ImportBulkAsync("tomcat", good, "wrong password!", "t", Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => destination.Bulk.ImportBulkAsync("tomcat", [1, 2, 3], password, "t", Ct));
        await Assert.ThrowsAnyAsync<InvalidInputException>(() => destination.Bulk.ImportBulkAsync("TVS", good, password, "t", Ct));
        Assert.Equal(6, (await destination.Store.LoadAsync(Ct)).TrustCertificates.Count);
    }

    [Fact]
    public async Task Schema_UsesSnakeCaseTables()
    {
        using var harness = SecurityHarness.Create(await target.NewDatabaseAsync());
        await using var db = harness.Contexts.Create();

        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).Order().ToList();

        Assert.Equal(
            ["admin_users", "audit_log", "callmanager_groups", "certificate_history", "clusters", "ctl_certificates", "data_protection_keys", "device_reports", "device_served_files", "devices",
                "enterprise_parameters", "identity_certificates", "nodes", "pending_itl_changes", "trust_certificates"],
            tables);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration for this provider");
        Assert.Equal(0, await db.IdentityCertificates.CountAsync(Ct));
    }
}
