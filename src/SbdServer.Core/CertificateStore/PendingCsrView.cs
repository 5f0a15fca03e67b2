using SbdServer.Core.Certificates;

namespace SbdServer.Core.CertificateStore;

/// <summary>
/// A node's outstanding CSR for one identity certificate (CUCM lists it with Usage "CSR"); its key stays sealed in
/// the store and is never part of this view.
/// </summary>
/// <param name="Node">The node the identity belongs to.</param>
/// <param name="Name">The identity certificate the CSR is for (CallManager, tomcat, CAPF, TVS).</param>
/// <param name="CreatedAt">When it was generated; null for a key pending from before CSRs were kept.</param>
/// <param name="Der">The PKCS#10 request.</param>
/// <param name="Facts">Subject, key and SANs it asks for.</param>
public sealed record PendingCsrView(string Node, string Name, DateTimeOffset? CreatedAt, byte[] Der, CsrFacts Facts)
{
    /// <summary>The request as a <c>CERTIFICATE REQUEST</c> PEM block, as CUCM's Download CSR gives it.</summary>
    public string Pem => new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE REQUEST", Der)) + "\n";
}
