using System.Security.Cryptography.X509Certificates;

namespace SbdServer.Core.Certificates;

/// <summary>Chain building against a set of anchors of the cluster's own (a trust store, the CAPF certificates).</summary>
internal static class CertificateChains
{
    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of <paramref name="anchors"/> (DER), with no system
    /// roots and no revocation lookups (phones' certificates carry no reachable CRL); <paramref name="at"/> is the
    /// time validity is judged at, now when null.
    /// </summary>
    public static bool Build(X509Certificate2 certificate, IReadOnlyCollection<byte[]> anchors, DateTimeOffset? at = null)
    {
        if (anchors.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (at is { } time)
        {
            chain.ChainPolicy.VerificationTime = time.UtcDateTime;
        }

        var loaded = anchors.Select(a => X509CertificateLoader.LoadCertificate(a)).ToArray();
        try
        {
            chain.ChainPolicy.CustomTrustStore.AddRange(loaded);
            chain.ChainPolicy.ExtraStore.AddRange(loaded);
            return chain.Build(certificate);
        }
        finally
        {
            foreach (var c in loaded)
            {
                c.Dispose();
            }

            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }
}
