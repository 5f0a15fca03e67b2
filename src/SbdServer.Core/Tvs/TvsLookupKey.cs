using System.Text;

namespace SbdServer.Core.Tvs;

/// <summary>
/// Canonical forms for CUCM's TVS lookup key (upper-case hex serial + issuer DN). Phones send DNs CUCM style
/// (<c>CN=a;OU=b;O=c</c>), .NET prints them RFC style (<c>CN=a, OU=b, S=x</c>); both reduce to the same key.
/// </summary>
public static class TvsLookupKey
{
    /// <summary>
    /// Components separated by <c>;</c>, attribute names upper-case with .NET's short forms mapped to CUCM's
    /// (<c>S</c> to <c>ST</c>, <c>E</c> to <c>EMAILADDRESS</c>), whitespace around separators and surrounding quotes
    /// removed. Values keep their case (the caller compares case-insensitively).
    /// </summary>
    public static string NormalizeDn(string dn) => string.Join(';', Components(dn));

    /// <summary>The same DN with its components in the opposite order (LDAP order versus X.500 order).</summary>
    public static string NormalizeDnReversed(string dn)
    {
        var parts = Components(dn);
        parts.Reverse();
        return string.Join(';', parts);
    }

    /// <summary>Upper-case hex without separators or leading zero bytes: <c>00:a1:02</c> gives <c>A102</c>.</summary>
    public static string NormalizeSerialHex(string serialHex)
    {
        var sb = new StringBuilder(serialHex.Length);
        foreach (var c in serialHex)
        {
            if (Uri.IsHexDigit(c))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
            else if (c is not (':' or ' ' or '-'))
            {
                throw new FormatException("A serial number is hexadecimal digits, optionally separated by ':'.");
            }
        }

        if (sb.Length % 2 == 1)
        {
            sb.Insert(0, '0');
        }

        var start = 0;
        while (start + 2 < sb.Length && sb[start] == '0' && sb[start + 1] == '0')
        {
            start += 2;
        }

        return sb.Length == 0 ? "00" : sb.ToString(start, sb.Length - start);
    }

    /// <summary><see cref="NormalizeSerialHex(string)"/> of raw big-endian serial bytes.</summary>
    public static string NormalizeSerial(ReadOnlySpan<byte> serial) => NormalizeSerialHex(Convert.ToHexString(serial));

    private static List<string> Components(string dn)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < dn.Length; i++)
        {
            var c = dn[i];
            if (c == '\\' && i + 1 < dn.Length)
            {
                current.Append(c).Append(dn[++i]);
            }
            else if (c == '"')
            {
                quoted = !quoted;
                current.Append(c);
            }
            else if (!quoted && c is ',' or ';')
            {
                AddComponent(parts, current);
            }
            else
            {
                current.Append(c);
            }
        }

        AddComponent(parts, current);
        return parts;
    }

    private static void AddComponent(List<string> parts, StringBuilder current)
    {
        var text = current.ToString().Trim();
        current.Clear();
        if (text.Length == 0)
        {
            return;
        }

        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            parts.Add(text);
            return;
        }

        var key = text[..eq].Trim().ToUpperInvariant() switch
        {
            "S" => "ST",
            "E" => "EMAILADDRESS",
            var k => k,
        };
        var value = text[(eq + 1)..].Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        parts.Add(key + "=" + value);
    }
}
