using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Tvs;

namespace SbdServer.Tvs;

/// <summary>Reads <see cref="TvsOptions.TrustFiles"/> into trust-store entries; a bad file stops startup.</summary>
public static class TvsTrustFileLoader
{
    public static IReadOnlyList<TvsTrustCertificate> Load(IEnumerable<TvsTrustFile> files)
    {
        var result = new List<TvsTrustCertificate>();
        foreach (var file in files)
        {
            if (!StoreRoles.IsKnown(file.Store))
            {
                throw new InvalidOperationException($"Tvs:TrustFiles: unknown store '{file.Store}'.");
            }

            var bytes = File.ReadAllBytes(file.Path);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPem(text);
                foreach (var certificate in collection)
                {
                    result.Add(new TvsTrustCertificate(file.Store, certificate.RawData));
                    certificate.Dispose();
                }
            }
            else
            {
                using var certificate = X509CertificateLoader.LoadCertificate(bytes);
                result.Add(new TvsTrustCertificate(file.Store, certificate.RawData));
            }
        }

        return result;
    }
}
