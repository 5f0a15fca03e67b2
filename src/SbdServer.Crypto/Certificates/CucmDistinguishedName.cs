using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SbdServer.Crypto.Certificates;

/// <summary>
/// Distinguished names the way CUCM prints and stores them: <c>CN=..;OU=..;O=..;L=..;ST=..;C=..</c>, RDNs in the
/// order they are encoded in the certificate, values unescaped, multi-valued RDNs joined with <c>+</c>.
/// </summary>
public static class CucmDistinguishedName
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.11"] = "OU",
        ["2.5.4.10"] = "O",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.6"] = "C",
        ["2.5.4.5"] = "serialNumber",
        ["2.5.4.9"] = "STREET",
        ["2.5.4.12"] = "T",
        ["2.5.4.4"] = "SN",
        ["2.5.4.42"] = "G",
        ["1.2.840.113549.1.9.1"] = "E",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
    };

    /// <summary>The CUCM form of an encoded X.501 Name.</summary>
    public static string Format(X500DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Format(name.RawData);
    }

    /// <summary>The CUCM form of an encoded X.501 Name (DER).</summary>
    public static string Format(ReadOnlyMemory<byte> encodedName)
    {
        var builder = new StringBuilder();
        foreach (var rdn in ReadRdns(encodedName))
        {
            if (builder.Length > 0)
            {
                builder.Append(';');
            }

            builder.AppendJoin('+', rdn.Select(a => $"{a.Type}={a.Value}"));
        }

        return builder.ToString();
    }

    /// <summary>The value of the first attribute of type <paramref name="oid"/> (in encoding order), or null.</summary>
    public static string? FirstValue(X500DistinguishedName name, string oid)
    {
        ArgumentNullException.ThrowIfNull(name);
        var shortName = ShortNames.GetValueOrDefault(oid, oid);
        return ReadRdns(name.RawData).SelectMany(r => r).FirstOrDefault(a => a.Type == shortName).Value;
    }

    private static List<List<(string Type, string Value)>> ReadRdns(ReadOnlyMemory<byte> encodedName)
    {
        // Name ::= SEQUENCE OF RelativeDistinguishedName; RDN ::= SET OF AttributeTypeAndValue
        var result = new List<List<(string, string)>>();
        var name = new AsnReader(encodedName, AsnEncodingRules.BER).ReadSequence();
        while (name.HasData)
        {
            var set = name.ReadSetOf(skipSortOrderValidation: true);
            var rdn = new List<(string, string)>();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                rdn.Add((ShortNames.GetValueOrDefault(oid, oid), ReadValue(attribute)));
            }

            result.Add(rdn);
        }

        return result;
    }

    private static string ReadValue(AsnReader attribute)
    {
        var tag = attribute.PeekTag();
        if (tag.TagClass == TagClass.Universal)
        {
            switch ((UniversalTagNumber)tag.TagValue)
            {
                case UniversalTagNumber.UTF8String:
                case UniversalTagNumber.PrintableString:
                case UniversalTagNumber.IA5String:
                case UniversalTagNumber.BMPString:
                case UniversalTagNumber.T61String:
                case UniversalTagNumber.VisibleString:
                case UniversalTagNumber.NumericString:
                    return attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue);
                default:
                    break;
            }
        }

        // Anything else is shown as RFC 4514 does: '#' and the hex of the encoded value.
        return "#" + Convert.ToHexString(attribute.ReadEncodedValue().Span);
    }
}
