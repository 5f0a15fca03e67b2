using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace SbdServer.Scenarios.Tests;

/// <summary><c>sbd cert csr generate|show|delete</c> against a running node, as an admin runs it.</summary>
public sealed class CsrCliScenarios : ScenarioTestBase
{
    [Fact]
    public async Task CsrGenerated_IsShownAgainUntilDeleted_ThenShowSaysNoneIsPending()
    {
        var cluster = await ClusterAsync(1, "ITLRecovery");
        var node = cluster.Publisher;
        var saved = Path.Combine(node.DataDir, "tvs.csr");

        var none = await SbdCli.AdminAsync(node, "cert", "csr", "show", "cucm-pub", "TVS");
        Assert.True(none.ExitCode == 1 && none.Output.Contains("no pending CSR", StringComparison.Ordinal), none.Output);

        var generated = await SbdCli.AdminAsync(node, "cert", "csr", "generate", "cucm-pub", "TVS", "--key", "ec384", "--out", saved);
        Assert.True(generated.ExitCode == 0, generated.Output);
        var pem = await File.ReadAllTextAsync(saved, Ct);
        var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA384);
        Assert.Equal(384, request.PublicKey.GetECDsaPublicKey()!.KeySize);
        Assert.Contains("cucm-pub", request.SubjectName.Name, StringComparison.Ordinal);

        var shown = await SbdCli.AdminAsync(node, "cert", "csr", "show", "cucm-pub", "tvs");
        Assert.True(shown.ExitCode == 0, shown.Output);
        Assert.Contains(pem.Trim(), shown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", shown.Output, StringComparison.Ordinal);

        var deleted = await SbdCli.AdminAsync(node, "cert", "csr", "delete", "cucm-pub", "TVS");
        Assert.True(deleted.ExitCode == 0 && deleted.Output.Contains("Deleted the pending CSR of cucm-pub/TVS", StringComparison.Ordinal), deleted.Output);
        var again = await SbdCli.AdminAsync(node, "cert", "csr", "delete", "cucm-pub", "TVS");
        Assert.True(again.ExitCode == 1 && again.Output.Contains("no pending CSR", StringComparison.Ordinal), again.Output);

        var selfSignedOnly = await SbdCli.AdminAsync(node, "cert", "csr", "generate", "cucm-pub", "ipsec");
        Assert.True(selfSignedOnly.ExitCode == 1 && selfSignedOnly.Output.Contains("self-signed only", StringComparison.Ordinal), selfSignedOnly.Output);
    }
}
