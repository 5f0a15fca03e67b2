using System.Security.Cryptography;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Tvs;
using SbdServer.Phone.Tvs;
using SbdServer.Tvs.Tests.Support;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Tvs.Tests;

/// <summary>The phone-side client (SbdServer.Phone) against the real listener.</summary>
public class TvsClientTests
{
    private const string Device = "CP-8861-SEPB000B4BA0AEE";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VerifyAndQuery_PinnedBySha1AsInItl_AnsweredOnOneConnection()
    {
        await using var server = await TvsTestServer.StartAsync();
        var portal = TestPki.SelfSigned("CN=portal.example");
        var signer = TestPki.Leaf("CN=ucm.example", [0x01, 0x77]);
        server.Trust.Add(StoreRoles.TomcatTrust, portal);
        server.Trust.Add(StoreRoles.PhoneSastTrust, signer);
        var options = new TvsClientOptions { ExpectedServerCertificateHash = SHA1.HashData(TestPki.Tvs.CertificateDer) };

        await using var client = await TvsClient.ConnectAsync("127.0.0.1", server.Port, options, Ct);
        var verify = await client.VerifyAsync(Device, portal, Ct);
        var query = await client.QueryAsync(Device, "CN=ucm.example", TestPki.CaName, new byte[] { 0x01, 0x77 }, Ct);

        Assert.Equal(TvsStatus.Valid, verify.Status);
        Assert.Equal([7], verify.Roles.ToArray());
        Assert.Equal(TvsStatus.Valid, query.Status);
        Assert.Equal([0, 3], query.Roles.ToArray());
        Assert.Equal(signer, query.Certificate.ToArray());
        Assert.StartsWith("Tls12 ", client.NegotiatedTls, StringComparison.Ordinal);
        Assert.Equal(1, server.Counters.ConnectionsAccepted);
    }

    [Fact]
    public async Task Connect_ServerPresentsOtherCertificate_Refused()
    {
        await using var server = await TvsTestServer.StartAsync();
        var options = new TvsClientOptions { ExpectedServerCertificateHash = SHA256.HashData(TestPki.Tvs2.CertificateDer) };

        var ex = await Assert.ThrowsAsync<TvsClientException>(() => TvsClient.ConnectAsync("127.0.0.1", server.Port, options, Ct));

        Assert.Contains("is not the expected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_AfterRegeneration_NewPinNeeded()
    {
        await using var server = await TvsTestServer.StartAsync();
        server.Certificates.Set(TestPki.Tvs2);
        var oldPin = new TvsClientOptions { ExpectedServerCertificate = TestPki.Tvs.CertificateDer };
        var newPin = new TvsClientOptions { ExpectedServerCertificate = TestPki.Tvs2.CertificateDer };

        await Assert.ThrowsAsync<TvsClientException>(() => TvsClient.ConnectAsync("127.0.0.1", server.Port, oldPin, Ct));
        await using var client = await TvsClient.ConnectAsync("127.0.0.1", server.Port, newPin, Ct);

        Assert.Equal(TestPki.Tvs2.CertificateDer, client.ServerCertificate.ToArray());
    }
}
