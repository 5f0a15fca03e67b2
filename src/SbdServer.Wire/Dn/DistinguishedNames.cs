using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SbdServer.Wire.Dn;

/// <summary>
/// Distinguished names as the phone files carry them. CUCM writes the RDNs most-specific first (the order
/// <c>show itl</c> prints, e.g. <c>CN=...;OU=...;O=...;L=...;ST=...;C=...</c>) separated by semicolons and without
/// escaping; other implementations use RFC 4514 commas. Comparisons accept either separator.
/// </summary>
public static class DistinguishedNames
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.11"] = "OU",
        ["2.5.4.10"] = "O",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.6"] = "C",
        ["2.5.4.9"] = "STREET",
        ["2.5.4.5"] = "serialNumber",
        ["2.5.4.12"] = "T",
        ["2.5.4.42"] = "G",
        ["2.5.4.4"] = "SN",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["1.2.840.113549.1.9.1"] = "E",
    };

    /// <summary>
    /// CUCM's form of a name: RDNs in the order the certificate encodes them, <c>;</c> between them, values
    /// unescaped, the attributes of a multi-valued RDN joined with <c>+</c>.
    /// </summary>
    public static string ToCucm(X500DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ToCucm(name.RawData);
    }

    /// <summary>CUCM's form of an encoded X.501 Name (DER).</summary>
    public static string ToCucm(ReadOnlyMemory<byte> encodedName)
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

    /// <summary>True when two names have the same attributes in the same order, whichever separator each uses.</summary>
    public static bool AreEquivalent(string left, string right) =>
        Split(left).SequenceEqual(Split(right), StringComparer.OrdinalIgnoreCase);

    /// <summary>The attributes of a name written with <c>;</c> or <c>,</c> separators, trimmed.</summary>
    public static IReadOnlyList<string> Split(string name)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '\\' && i + 1 < name.Length)
            {
                current.Append(name[++i]);
            }
            else if (c is ';' or ',')
            {
                AddPart(parts, current);
            }
            else
            {
                current.Append(c);
            }
        }

        AddPart(parts, current);
        return parts;
    }

    private static void AddPart(List<string> parts, StringBuilder current)
    {
        var text = current.ToString().Trim();
        current.Clear();
        if (text.Length > 0)
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            parts.Add(eq < 0 ? text : text[..eq].Trim() + "=" + text[(eq + 1)..].Trim());
        }
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
