using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Tvs;
using SbdServer.Testing;
using SbdServer.Tvs.Tests.Support;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Tvs.Tests;

public class TvsTrustStoreTests
{
    private const string CucmSubject = "CN=ucm11pub.stormin.local, OU=IST, O=Stormin, L=Brisbane, S=QLD, C=AU";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sha256(byte[] der) => Convert.ToHexStringLower(SHA256.HashData(der));

    [Theory]
    [InlineData("CallManager", new byte[] { 2, 0 })]
    [InlineData("Phone-SAST-trust", new byte[] { 0, 3 })]
    [InlineData("tomcat", new byte[] { 7 })]
    [InlineData("tomcat-trust", new byte[] { 7 })]
    [InlineData("Phone-trust", new byte[] { 7 })]
    [InlineData("Phone-CTL-trust", new byte[] { 7 })]
    [InlineData("ipsec", new byte[] { 7 })]
    [InlineData("CAPF", new byte[] { 4 })]
    [InlineData("TVS", new byte[] { 21 })]
    [InlineData("Phone-VPN-trust", new byte[] { 26 })]
    [InlineData("CallManager-trust", new byte[0])]
    [InlineData("CAPF-trust", new byte[0])]
    [InlineData("TVS-trust", new byte[0])]
    [InlineData("ipsec-trust", new byte[0])]
    [InlineData("directory-trust", new byte[0])]
    [InlineData("TOMCAT-TRUST", new byte[] { 7 })]
    [InlineData("no-such-store", new byte[0])]
    public void For_Store_ReturnsCucmRoles(string store, byte[] roles)
    {
        Assert.Equal(roles, StoreRoles.For(store).Select(r => (byte)r).ToArray());
    }

    [Fact]
    public async Task FindBySha256_CertificateInTwoStores_UnionOfRolesAndStores()
    {
        var der = TestPki.SelfSigned("CN=ucm.example");
        var source = new InMemoryTvsTrustSource();
        source.Add(StoreRoles.CallManagerTrust, der);
        source.Add(StoreRoles.PhoneSastTrust, der);
        source.Add(StoreRoles.CallManager, der);
        using var store = new CachedTvsTrustStore(source);

        var entry = await store.FindBySha256Async(Sha256(der).ToUpperInvariant(), Ct);

        Assert.NotNull(entry);
        Assert.Equal([TrustRole.Sast, TrustRole.Tftp, TrustRole.CcmTftp], entry.Roles);
        Assert.Equal(["CallManager-trust", "Phone-SAST-trust", "CallManager"], entry.Stores);
        Assert.Equal(CachedTvsTrustStore.DefaultTtlSeconds, entry.TtlSeconds);
    }

    [Theory]
    [InlineData("CN=stormin-WIN2012-CA", "24000000179479B8F124AC3F3B000000000017")]
    [InlineData("cn=stormin-WIN2012-CA", "24:00:00:00:17:94:79:b8:f1:24:ac:3f:3b:00:00:00:00:00:17")]
    public async Task FindByIssuerAndSerial_CaptureStyleKey_Found(string issuer, string serial)
    {
        var der = TestPki.Leaf(CucmSubject, Convert.FromHexString("24000000179479B8F124AC3F3B000000000017"));
        var source = new InMemoryTvsTrustSource();
        source.Add(StoreRoles.PhoneSastTrust, der);
        using var store = new CachedTvsTrustStore(source);

        var entry = await store.FindByIssuerAndSerialAsync(issuer, serial, Ct);

        Assert.Equal(Sha256(der), entry?.Sha256Hex);
    }

    [Theory]
    [InlineData("CN=Issuing CA;OU=PKI;O=Stormin;C=AU")]
    [InlineData("CN=Issuing CA, OU=PKI, O=Stormin, C=AU")]
    [InlineData("CN=Issuing CA,OU=PKI,O=Stormin,C=AU")]
    [InlineData("C=AU;O=Stormin;OU=PKI;CN=Issuing CA")]
    public void NormalizeDn_BothSeparatorStyles_SameKeyForwardOrReversed(string dn)
    {
        var expected = "CN=Issuing CA;OU=PKI;O=Stormin;C=AU";

        Assert.Contains(expected, new[] { TvsLookupKey.NormalizeDn(dn), TvsLookupKey.NormalizeDnReversed(dn) });
    }

    [Theory]
    [InlineData("00A1", "A1")]
    [InlineData("0000", "00")]
    [InlineData("00:a1:0b", "A10B")]
    [InlineData("FFF", "0FFF")]
    public void NormalizeSerialHex_Variants_UpperHexWithoutLeadingZeroBytes(string input, string expected)
    {
        Assert.Equal(expected, TvsLookupKey.NormalizeSerialHex(input));
    }

    [Fact]
    public async Task FindBySha256_AfterSourceChange_SeesNewCertificate()
    {
        var der = TestPki.SelfSigned("CN=new.example");
        var source = new InMemoryTvsTrustSource();
        using var store = new CachedTvsTrustStore(source);
        Assert.Null(await store.FindBySha256Async(Sha256(der), Ct));

        source.Add(StoreRoles.TomcatTrust, der);

        Assert.NotNull(await store.FindBySha256Async(Sha256(der), Ct));
        Assert.True(source.Remove(StoreRoles.TomcatTrust, der));
        Assert.Null(await store.FindBySha256Async(Sha256(der), Ct));
    }

    [Fact]
    public async Task Load_MalformedDer_SkippedOthersServed()
    {
        var der = TestPki.SelfSigned("CN=ok.example");
        var source = new InMemoryTvsTrustSource();
        source.Add(StoreRoles.TomcatTrust, new byte[] { 0x30, 0x03, 0x01, 0x02 });
        source.Add(StoreRoles.TomcatTrust, der);
        using var store = new CachedTvsTrustStore(source);

        Assert.NotNull(await store.FindBySha256Async(Sha256(der), Ct));
        Assert.Equal(1, store.SkippedCertificates);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Handle_ExpiredNotYetValidAndRoleless_AllInvalidAlone()
    {
        var der = TestPki.SelfSigned("CN=tomcat.example");
        var roleless = TestPki.SelfSigned("CN=cm-trust-only.example");
        var source = new InMemoryTvsTrustSource();
        source.Add(StoreRoles.TomcatTrust, der);
        source.Add(StoreRoles.CallManagerTrust, roleless);
        using var store = new CachedTvsTrustStore(source);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var handler = new TvsRequestHandler(store, clock);

        var valid = await handler.HandleAsync(new TvsVerifyRequest(1, "CP-7962-SEP0011215A1AE3", der), Ct);
        var noRoles = await handler.HandleAsync(new TvsVerifyRequest(2, "CP-7962-SEP0011215A1AE3", roleless), Ct);
        clock.Advance(TimeSpan.FromDays(400));
        var expired = await handler.HandleAsync(new TvsVerifyRequest(3, "CP-7962-SEP0011215A1AE3", der), Ct);
        var early = await new TvsRequestHandler(store, new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-30))).HandleAsync(new TvsVerifyRequest(4, "CP-7962-SEP0011215A1AE3", der), Ct);

        Assert.Equal((TvsOutcome.Valid, TvsStatus.Valid), (valid.Outcome, valid.Response.Status));
        Assert.Equal([7], valid.Response.Roles.ToArray());
        Assert.Equal(86400u, valid.Response.TtlSeconds);
        foreach (var (decision, outcome) in new[]
            { (noRoles, TvsOutcome.NoPhoneRoles), (expired, TvsOutcome.Expired), (early, TvsOutcome.NotYetValid) })
        {
            Assert.Equal(outcome, decision.Outcome);
            Assert.Equal(TvsStatus.Invalid, decision.Response.Status);
            Assert.True(decision.Response.Roles.IsEmpty && decision.Response.Certificate.IsEmpty);
            Assert.Null(decision.Response.TtlSeconds);
        }
    }

    [Fact]
    public async Task Handle_TrustStoreFails_ExceptionPropagates()
    {
        var handler = new TvsRequestHandler(new CachedTvsTrustStore(new FailingSource()), TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await handler.HandleAsync(new TvsVerifyRequest(1, "CP-7962-SEP0011215A1AE3", new byte[] { 1 }), Ct));
    }

    [Fact]
    public void QueryLog_OverCapacity_KeepsNewestAndFiltersByDevice()
    {
        var log = new TvsQueryLog(3);
        for (var i = 0; i < 5; i++)
        {
            log.Add(new TvsQueryRecord(DateTimeOffset.UnixEpoch.AddSeconds(i), "127.0.0.1", i % 2 == 0 ? "CP-A" : "CP-B",
                TvsCommand.VerifyRequest, null, null, null, null, TvsStatus.Invalid, TvsOutcome.Unknown, [], null, 1));
        }

        Assert.Equal([4, 3, 2], log.Recent().Select(r => (int)r.At.ToUnixTimeSeconds()));
        Assert.Equal([4, 2], log.Recent("cp-a").Select(r => (int)r.At.ToUnixTimeSeconds()));
        Assert.Equal(5, log.Total);
    }

    [Fact]
    public void Meter_AfterAnswers_ShowsCounts()
    {
        using var counters = new TvsCounters();
        counters.Answered(TvsCommand.VerifyRequest, TvsOutcome.Valid);
        counters.Answered(TvsCommand.VerifyRequest, TvsOutcome.Valid);
        counters.Answered(TvsCommand.QueryRequest, TvsOutcome.Unknown);
        counters.RejectedForPerIpLimit();

        var instruments = MeterSnapshot.Read(counters.Meter);

        Assert.Equal(2, instruments["sbd_tvs_requests{command=\"verify\",outcome=\"valid\"}"]);
        Assert.Equal(1, instruments["sbd_tvs_requests{command=\"query\",outcome=\"unknown\"}"]);
        Assert.Equal(0, instruments["sbd_tvs_requests{command=\"query\",outcome=\"valid\"}"]);
        Assert.Equal(1, instruments["sbd_tvs_connections_rejected{reason=\"per_ip\"}"]);
        Assert.Equal(0, instruments["sbd_tvs_connections_rejected{reason=\"max_connections\"}"]);
    }

    private sealed class FailingSource : ITvsTrustSource
    {
        public event EventHandler? Changed
        {
            add { }
            remove { }
        }

        public ValueTask<IReadOnlyList<TvsTrustCertificate>> LoadAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("database down");
    }
}
