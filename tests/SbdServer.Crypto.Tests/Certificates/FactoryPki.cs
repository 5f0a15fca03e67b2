using SbdServer.Core.Certificates;
using SbdServer.Crypto.Certificates;

namespace SbdServer.Crypto.Tests.Certificates;

/// <summary>
/// Certificates made once per run (RSA generation is slow) by the product's own <see cref="CertificateFactory"/>, for
/// the tests of the codec and validator that read what the product writes. Everything else takes its certificates
/// from the shared <see cref="Testing.TestPki"/>, made without the product's code.
/// </summary>
internal static class FactoryPki
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static readonly CertificateFactory SharedFactory = new();

    private static readonly Lazy<CertificateWithKey> RootLazy = new(() => SharedFactory.CreateSelfSigned(
        new CertificateSpec(new SubjectName("JASBURNS-AD"), KeyAlgorithm.Rsa2048, CertificatePurpose.Authority, 16, 20),
        Now.AddYears(-1)));

    private static readonly Lazy<CertificateWithKey> IntermediateLazy = new(() => SharedFactory.CreateSigned(
        new CertificateSpec(new SubjectName("Issuing CA", "PKI", "Lab"), KeyAlgorithm.EcP384, CertificatePurpose.Authority),
        Now.AddYears(-1),
        Root));

    private static readonly Lazy<CertificateWithKey> OtherRootLazy = new(() => SharedFactory.CreateSelfSigned(
        new CertificateSpec(new SubjectName("Other Root"), KeyAlgorithm.EcP256, CertificatePurpose.Authority),
        Now.AddYears(-1)));

    private static readonly Lazy<CertificateWithKey> LeafKeyLazy = new(() => SharedFactory.CreateSelfSigned(
        new CertificateSpec(new SubjectName("leaf-key"), KeyAlgorithm.Rsa2048), Now.AddYears(-1)));

    public static CertificateFactory Factory => SharedFactory;

    /// <summary>Self-signed RSA 2048 CA named like the seed's (CN=JASBURNS-AD), valid 20 years from a year ago.</summary>
    public static CertificateWithKey Root => RootLazy.Value;

    /// <summary>EC P-384 CA issued by <see cref="Root"/>.</summary>
    public static CertificateWithKey Intermediate => IntermediateLazy.Value;

    /// <summary>An unrelated EC P-256 root.</summary>
    public static CertificateWithKey OtherRoot => OtherRootLazy.Value;

    /// <summary>A reusable RSA 2048 key (PKCS#8) for tests that are not about key generation.</summary>
    public static byte[] RsaKey => LeafKeyLazy.Value.PrivateKeyPkcs8;

    public static CertificateSpec Spec(
        string commonName = "CUCM8-Publisher.bbbburns.lab",
        CertificatePurpose purpose = CertificatePurpose.Identity,
        int serialBytes = 16,
        int years = 5,
        IReadOnlyList<string>? dns = null) =>
        new(new SubjectName(commonName, "TAC", "Cisco", "RTP", "North Carolina", "US"),
            KeyAlgorithm.Rsa2048, purpose, serialBytes, years, dns);

    /// <summary>A certificate for <see cref="RsaKey"/> without generating a key.</summary>
    public static byte[] SelfSigned(CertificateSpec spec, DateTimeOffset? notBefore = null) =>
        Factory.CreateSelfSignedForKey(spec, notBefore ?? Now.AddDays(-1), RsaKey);
}
