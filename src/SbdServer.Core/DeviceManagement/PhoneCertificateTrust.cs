using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Devices;
using SbdServer.Core.Storage;

namespace SbdServer.Core.DeviceManagement;

/// <summary>Which of its certificates a phone authenticated with.</summary>
public enum PhoneCertificateKind
{
    /// <summary>Its locally significant certificate, issued by the cluster's CAPF.</summary>
    Lsc,

    /// <summary>Its manufacturing installed certificate, issued by a manufacturing CA the cluster trusts.</summary>
    Mic,
}

/// <summary>The outcome of <see cref="PhoneCertificateTrust.CheckAsync"/>: a kind when trusted, else why not.</summary>
public sealed record PhoneCertificateVerdict(PhoneCertificateKind? Kind, string? Refusal, string? Subject)
{
    public bool Trusted => Refusal is null;

    internal static PhoneCertificateVerdict Refused(string why, string? subject = null) => new(null, why, subject);
}

/// <summary>
/// Whether the TLS client certificate a phone presents identifies its device, as CUCM's CallManager decides for a
/// device whose security profile is authenticated or encrypted: the certificate must be valid now, name the device
/// (its CN is <c>SEP&lt;MAC&gt;</c>, as this CAPF issues LSCs, or ends in <c>-SEP&lt;MAC&gt;</c>, as Cisco's
/// <c>CP-8861-SEP&lt;MAC&gt;</c> MICs and LSCs do), and be either an LSC (the one recorded for the device, or issued
/// by a CAPF certificate of any node of the cluster) or a MIC chaining to a certificate in CAPF-trust or
/// CallManager-trust (the stores CUCM keeps the Cisco Manufacturing CAs in).
/// </summary>
public sealed class PhoneCertificateTrust(ISecurityStore store, TimeProvider time)
{
    private static readonly string[] ManufacturingStores = [CertificateStores.CapfTrust, CertificateStores.CallManagerTrust];

    /// <param name="certificateDer">The certificate the phone presented in the TLS handshake; null when none.</param>
    public async Task<PhoneCertificateVerdict> CheckAsync(Device device, byte[]? certificateDer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (certificateDer is null)
        {
            return PhoneCertificateVerdict.Refused("the phone presented no certificate (LSC or MIC)");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        }
        catch (CryptographicException)
        {
            return PhoneCertificateVerdict.Refused("the phone's certificate is not DER X.509");
        }

        using (certificate)
        {
            var subject = certificate.Subject;
            var now = time.GetUtcNow();
            if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
            {
                return PhoneCertificateVerdict.Refused("the phone's certificate is not valid now", subject);
            }

            var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (!NamesDevice(cn, device.Name))
            {
                return PhoneCertificateVerdict.Refused($"the phone's certificate names {Printable(cn)}, not {device.Name}", subject);
            }

            if (device.LscDer is { } recorded && recorded.AsSpan().SequenceEqual(certificateDer))
            {
                return new PhoneCertificateVerdict(PhoneCertificateKind.Lsc, null, subject);
            }

            var state = await store.LoadAsync(cancellationToken);
            var capf = state.Identities.Where(i => i.Name == CertificateStores.Capf).Select(i => i.Der).ToList();
            if (CertificateChains.Build(certificate, capf, now))
            {
                return new PhoneCertificateVerdict(PhoneCertificateKind.Lsc, null, subject);
            }

            var manufacturing = state.TrustCertificates.Where(t => ManufacturingStores.Contains(t.Store)).Select(t => t.Der).ToList();
            return CertificateChains.Build(certificate, manufacturing, now)
                ? new PhoneCertificateVerdict(PhoneCertificateKind.Mic, null, subject)
                : PhoneCertificateVerdict.Refused(
                    "the phone's certificate is neither an LSC of this cluster's CAPF nor issued by a CAPF-trust or CallManager-trust certificate", subject);
        }
    }

    /// <summary>CN <c>SEP&lt;MAC&gt;</c>, or a model-prefixed <c>...-SEP&lt;MAC&gt;</c>; a longer MAC is another device.</summary>
    public static bool NamesDevice(string? commonName, string deviceName)
    {
        ArgumentNullException.ThrowIfNull(deviceName);
        return commonName is not null
            && (string.Equals(commonName, deviceName, StringComparison.OrdinalIgnoreCase)
                || commonName.EndsWith("-" + deviceName, StringComparison.OrdinalIgnoreCase));
    }

    // The CN goes into a SIP reason phrase and the log: nothing that could end a header line or shape a log line.
    private static string Printable(string? cn) =>
        string.IsNullOrEmpty(cn) ? "no CN" : "CN " + new string(cn.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
