using SbdServer.Testing;
using SbdServer.Tvs.Tests.Support;
using Xunit;

namespace SbdServer.Tvs.Tests;

/// <summary>The file-based sources for nodes without certificate management (Tvs:CertificatePem, Tvs:TrustFiles).</summary>
public class CertificateFilesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PemFileSource_FileRewritten_ChangedRaisedAndNewPairReturned()
    {
        var dir = Directory.CreateTempSubdirectory("sbd-tvs-pem-").FullName;
        var path = Path.Combine(dir, "tvs.pem");
        await File.WriteAllTextAsync(path, TestPki.PemWithKey(TestPki.Tvs), Ct);
        using var source = new PemFileTvsCertificateSource(path);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Changed += (_, _) => changed.TrySetResult();

        var first = await source.GetCurrentAsync(Ct);
        await File.WriteAllTextAsync(path, TestPki.PemWithKey(TestPki.Tvs2), Ct);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var second = await source.GetCurrentAsync(Ct);

        Assert.Equal(TestPki.Tvs.CertificateDer, first.CertificateDer);
        Assert.Equal(TestPki.Tvs2.CertificateDer, second.CertificateDer);
        Assert.Equal(TestPki.Tvs2.PrivateKeyPkcs8, second.PrivateKeyPkcs8);
    }

    [Fact]
    public void PemFileSource_MissingFile_ClearError()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => new PemFileTvsCertificateSource("/nonexistent/tvs.pem"));

        Assert.Contains("Tvs:CertificatePem", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrustFileLoader_PemWithTwoCertificatesAndDer_AllLoadedWithStore()
    {
        var dir = Directory.CreateTempSubdirectory("sbd-tvs-trust-").FullName;
        var a = TestPki.SelfSigned("CN=a");
        var b = TestPki.SelfSigned("CN=b");
        var c = TestPki.SelfSigned("CN=c");
        await File.WriteAllTextAsync(Path.Combine(dir, "chain.pem"), TestPki.Pem(a) + "\n" + TestPki.Pem(b), Ct);
        await File.WriteAllBytesAsync(Path.Combine(dir, "c.der"), c, Ct);

        var loaded = TvsTrustFileLoader.Load([
            new TvsTrustFile { Store = "tomcat-trust", Path = Path.Combine(dir, "chain.pem") },
            new TvsTrustFile { Store = "Phone-SAST-trust", Path = Path.Combine(dir, "c.der") },
        ]);

        Assert.Equal(3, loaded.Count);
        Assert.Equal([a, b, c], loaded.Select(l => l.CertificateDer.ToArray()));
        Assert.Equal(["tomcat-trust", "tomcat-trust", "Phone-SAST-trust"], loaded.Select(l => l.Store));
    }

    [Fact]
    public void TrustFileLoader_UnknownStore_Refused()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            TvsTrustFileLoader.Load([new TvsTrustFile { Store = "tomcat-trsut", Path = "/dev/null" }]));

        Assert.Contains("unknown store 'tomcat-trsut'", ex.Message, StringComparison.Ordinal);
    }
}
