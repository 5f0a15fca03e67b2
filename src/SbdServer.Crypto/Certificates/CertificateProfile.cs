using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Certificates;

namespace SbdServer.Crypto.Certificates;

/// <summary>
/// Subject, serial and extensions of a CUCM-like certificate (cucm-reference.md 1.10 and the LSC profile of 1.9).
/// </summary>
internal static class CertificateProfile
{
    public const int MaxSerialBytes = 20;
    public const int MaxValidityYears = 100;

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string IpsecEndSystemOid = "1.3.6.1.5.5.7.3.5";

    // RFC 5280 upper bounds for the attributes we write.
    private const int MaxNameLength = 64;
    private const int MaxLocalityLength = 128;

    /// <summary>The subject in CUCM's RDN order: CN, OU, O, L, ST, C (first encoded first).</summary>
    public static X500DistinguishedName BuildSubject(SubjectName subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (string.IsNullOrWhiteSpace(subject.CommonName))
        {
            throw new ArgumentException("The subject needs a common name (CN), usually the node's FQDN.", nameof(subject));
        }

        // X500DistinguishedNameBuilder encodes the last added RDN first, so add C..CN to encode CN..C.
        var builder = new X500DistinguishedNameBuilder();
        if (!string.IsNullOrEmpty(subject.Country))
        {
            if (subject.Country.Length != 2 || !subject.Country.All(char.IsAsciiLetter))
            {
                throw new ArgumentException(
                    $"The country (C) must be a two-letter ISO 3166 code, not {subject.Country.Length} characters.",
                    nameof(subject));
            }

            builder.AddCountryOrRegion(subject.Country.ToUpperInvariant());
        }

        if (!string.IsNullOrEmpty(subject.State))
        {
            builder.AddStateOrProvinceName(Checked(subject.State, "ST", MaxLocalityLength));
        }

        if (!string.IsNullOrEmpty(subject.Locality))
        {
            builder.AddLocalityName(Checked(subject.Locality, "L", MaxLocalityLength));
        }

        if (!string.IsNullOrEmpty(subject.Organization))
        {
            builder.AddOrganizationName(Checked(subject.Organization, "O", MaxNameLength));
        }

        if (!string.IsNullOrEmpty(subject.OrganizationalUnit))
        {
            builder.AddOrganizationalUnitName(Checked(subject.OrganizationalUnit, "OU", MaxNameLength));
        }

        builder.AddCommonName(Checked(subject.CommonName, "CN", MaxNameLength));
        return builder.Build();
    }

    /// <summary>
    /// A random serial of exactly <paramref name="length"/> bytes whose DER INTEGER is positive and just as long:
    /// the top bit is clear (no sign byte needed) and the first byte is non-zero (no leading zero to strip), so the
    /// ITL SERIAL NUMBER field carries exactly this many bytes.
    /// </summary>
    public static byte[] NewSerial(int length)
    {
        if (length is < 1 or > MaxSerialBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(length), length, $"Serial numbers are 1 to {MaxSerialBytes} bytes (RFC 5280).");
        }

        var serial = new byte[length];
        do
        {
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7F;
        }
        while (serial[0] == 0);

        return serial;
    }

    public static void ValidateSpec(CertificateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.ValidityYears is < 1 or > MaxValidityYears)
        {
            throw new ArgumentOutOfRangeException(
                nameof(spec), spec.ValidityYears, $"Validity must be 1 to {MaxValidityYears} years.");
        }

        if (spec.SerialBytes is < 1 or > MaxSerialBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(spec), spec.SerialBytes, $"Serial numbers are 1 to {MaxSerialBytes} bytes (RFC 5280).");
        }

        if (!Enum.IsDefined(spec.Key))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Key, "Unknown key algorithm.");
        }

        if (!Enum.IsDefined(spec.Purpose))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Purpose, "Unknown certificate purpose.");
        }
    }

    /// <summary>Adds basic constraints, key usage, EKU, SAN and SKI for <paramref name="spec"/>'s purpose.</summary>
    public static void AddExtensions(CertificateRequest request, CertificateSpec spec)
    {
        var (isCa, usage, ekus) = spec.Purpose switch
        {
            // CallManager / tomcat / ipsec (cucm-reference 1.10): keep Data Encipherment and Key Agreement.
            CertificatePurpose.Identity => (false,
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
                | X509KeyUsageFlags.DataEncipherment | X509KeyUsageFlags.KeyAgreement,
                new[] { ServerAuthOid, ClientAuthOid, IpsecEndSystemOid }),

            // TVS answers phones as a TLS server on 2445.
            CertificatePurpose.TlsServer => (false,
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
                | X509KeyUsageFlags.DataEncipherment | X509KeyUsageFlags.KeyAgreement,
                new[] { ServerAuthOid }),

            // CAPF also serves TLS on 3804 and ITLRecovery signs trust lists, hence the signature/TLS bits;
            // the EKUs cover what it issues (phone LSCs), so EKU-chaining validators accept those.
            CertificatePurpose.Authority => (true,
                X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign
                | X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
                new[] { ServerAuthOid, ClientAuthOid, IpsecEndSystemOid }),

            // LSC profile (formats.md section 6): CA:false, digitalSignature + keyEncipherment.
            CertificatePurpose.Phone => (false,
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
                new[] { ServerAuthOid, ClientAuthOid, IpsecEndSystemOid }),

            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Purpose, "Unknown certificate purpose."),
        };

        // CAPF issues only end-entity certificates (phone LSCs): pathlen 0, as CUCM 14SU2+ requires of it.
        var pathLength = isCa ? spec.PathLength : null;
        request.CertificateExtensions.Add(
            new X509BasicConstraintsExtension(isCa, pathLength is not null, pathLength ?? 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var oids = new OidCollection();
        foreach (var eku in ekus)
        {
            oids.Add(new Oid(eku));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, critical: false));

        if (spec.DnsNames is { Count: > 0 } dnsNames)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dnsName in dnsNames)
            {
                if (string.IsNullOrWhiteSpace(dnsName) || dnsName.Length > 253)
                {
                    throw new ArgumentException("A SAN DNS name must be 1 to 253 characters.", nameof(spec));
                }

                san.AddDnsName(dnsName);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        request.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(request.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.Sha1, false));
    }

    private static string Checked(string value, string attribute, int maxLength)
    {
        if (value.Length > maxLength)
        {
            throw new ArgumentException(
                $"The {attribute} attribute is {value.Length} characters; the limit is {maxLength}.", nameof(value));
        }

        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"The {attribute} attribute contains control characters.", nameof(value));
        }

        return value;
    }
}
