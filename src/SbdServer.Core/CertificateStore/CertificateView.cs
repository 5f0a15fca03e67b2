using SbdServer.Core.Tvs;
using SbdServer.Wire.Itl;

namespace SbdServer.Core.CertificateStore;

/// <summary>A certificate as the API lists it.</summary>
public sealed record CertificateView(
    string Name,
    string Store,
    string SerialNumber,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha1,
    string Sha256,
    string Md5,
    IReadOnlyList<TrustRole> Roles)
{
    public static CertificateView Of(IdentityCertificate c) =>
        new(c.Name, c.Name, c.SerialNumber, c.Subject, c.Issuer, c.NotBefore, c.NotAfter, c.Sha1, c.Sha256, c.Md5,
            StoreRoles.For(c.Name));

    public static CertificateView Of(TrustCertificate c) =>
        new(CommonName(c.Subject), c.Store, c.SerialNumber, c.Subject, c.Issuer, c.NotBefore, c.NotAfter, c.Sha1,
            c.Sha256, c.Md5, StoreRoles.For(c.Store));

    private static string CommonName(string subject) =>
        subject.Split(';').FirstOrDefault(p => p.StartsWith("CN=", StringComparison.Ordinal))?[3..] ?? subject;
}
