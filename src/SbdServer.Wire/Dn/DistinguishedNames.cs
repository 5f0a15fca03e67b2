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

    /// <summary>CUCM's form of a name: last RDN first, <c>;</c> between attributes.</summary>
    public static string ToCucm(X500DistinguishedName name)
    {
        var parts = new List<string>();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            if (rdn.HasMultipleElements)
            {
                parts.Add(ReadMultiValue(rdn.RawData));
                continue;
            }

            var oid = rdn.GetSingleElementType().Value ?? "";
            var key = ShortNames.TryGetValue(oid, out var shortName) ? shortName : oid;
            parts.Add(key + "=" + (rdn.GetSingleElementValue() ?? ""));
        }

        return string.Join(';', parts);
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

    // A multi-valued RDN is rare in phone certificates; its attributes are joined with '+' as RFC 4514 does.
    private static string ReadMultiValue(ReadOnlyMemory<byte> rdn)
    {
        try
        {
            var set = new AsnReader(rdn, AsnEncodingRules.DER).ReadSetOf();
            var values = new List<string>();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                var tag = attribute.PeekTag();
                var text = tag.TagClass == TagClass.Universal
                    ? attribute.ReadCharacterString((UniversalTagNumber)tag.TagValue)
                    : "";
                values.Add((ShortNames.TryGetValue(oid, out var key) ? key : oid) + "=" + text);
            }

            return string.Join('+', values);
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException or InvalidOperationException)
        {
            return "";
        }
    }
}
