using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using SbdServer.Crypto.Signing;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;

namespace SbdServer.Benchmarks;

/// <summary>
/// Issue 2 performance target: building and signing a 7.6 KB SEP&lt;MAC&gt;.cnf.xml.sgn costs at most 1.15x a bare
/// .NET RSA-2048 PKCS#1 v1.5 signature of the same bytes. Also compares BouncyCastle with .NET for the signature.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks : IDisposable
{
    private const uint Timestamp = 1_800_000_000;
    private X509Certificate2 _signerCertificate = null!;
    private RSA _key = null!;
    private RsaFileSigner _signer = null!;
    private BouncyCastleFileSigner _bouncySigner = null!;
    private byte[] _config = null!;
    private byte[] _sgnSignedBytes = null!;
    private List<TrustListRecord> _records = null!;
    private byte[] _itlSignedBytes = null!;
    private X509Certificate2[] _others = null!;

    [GlobalSetup]
    public void Setup()
    {
        _signerCertificate = SelfSigned("CN=CUCM-Publisher.example, OU=TAC, O=Cisco, C=US");
        _key = _signerCertificate.GetRSAPrivateKey()!;
        _signer = RsaFileSigner.FromCertificate(_signerCertificate);
        _bouncySigner = new BouncyCastleFileSigner(_key, _signer.Identity);

        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n");
        while (xml.Length < 7600 - 10)
        {
            xml.Append("<line><featureID>9</featureID><name>1000</name></line>\n");
        }

        _config = Encoding.UTF8.GetBytes(xml.ToString()[..(7600 - 10)] + "</device>\n");
        _sgnSignedBytes = SgnCodec.Parse(Sgn()).SignedBytes;

        _others =
        [
            SelfSigned("CN=node1.example, OU=TAC, O=Cisco, C=US"),
            SelfSigned("CN=node2.example, OU=TAC, O=Cisco, C=US"),
            SelfSigned("CN=node3.example, OU=TAC, O=Cisco, C=US"),
            SelfSigned("CN=CAPF-9c4cba7d, OU=TAC, O=Cisco, C=US"),
        ];
        _records =
        [
            TrustListRecordFactory.FromCertificate(_signerCertificate, TrustRole.Sast),
            TrustListRecordFactory.FromCertificate(_signerCertificate, TrustRole.CcmTftp),
            TrustListRecordFactory.FromCertificate(_others[0], TrustRole.Tvs),
            TrustListRecordFactory.FromCertificate(_others[1], TrustRole.Tvs),
            TrustListRecordFactory.FromCertificate(_others[2], TrustRole.Tvs),
            TrustListRecordFactory.FromCertificate(_others[3], TrustRole.Capf),
        ];
        _itlSignedBytes = TrustListCodec.Parse(Itl()).Signed.SignedBytes;
    }

    [Benchmark(Baseline = true, Description = "bare .NET RSA-2048 sign, .sgn bytes")]
    public byte[] BareSignSgnBytes() =>
        _key.SignData(_sgnSignedBytes, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "build+sign SEP.cnf.xml.sgn 7.6 KB (.NET RSA)")]
    public byte[] Sgn() => SgnCodec.Build(_config, "SEP0011215A1AE3.cnf.xml.sgn", HashAlgorithmCode.Sha1, Timestamp,
        _signer);

    [Benchmark(Description = "build+sign SEP.cnf.xml.sgn 7.6 KB (BouncyCastle)")]
    public byte[] SgnBouncyCastle() => SgnCodec.Build(_config, "SEP0011215A1AE3.cnf.xml.sgn", HashAlgorithmCode.Sha1,
        Timestamp, _bouncySigner);

    [Benchmark(Description = "bare .NET RSA-2048 sign, ITL bytes")]
    public byte[] BareSignItlBytes() =>
        _key.SignData(_itlSignedBytes, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "build+sign 3-node ITL (.NET RSA)")]
    public byte[] Itl() => TrustListCodec.Build(new TrustListBuildOptions { Timestamp = Timestamp }, _records, _signer);

    [Benchmark(Description = "bare BouncyCastle RSA-2048 sign, .sgn bytes")]
    public int BareSignSgnBytesBouncyCastle()
    {
        Span<byte> signature = stackalloc byte[256];
        return _bouncySigner.Sign(_sgnSignedBytes, HashAlgorithmCode.Sha1, signature);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _signer?.Dispose();
        _key?.Dispose();
        _signerCertificate?.Dispose();
        foreach (var certificate in _others ?? [])
        {
            certificate.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1),
            DateTimeOffset.UtcNow.AddYears(5));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null,
            X509KeyStorageFlags.Exportable);
    }
}
