using System.Globalization;
using System.Text;

namespace SbdServer.Sip;

/// <summary>A SIP request as far as the registrar reads it (RFC 3261 section 7): request line and headers.</summary>
internal sealed class SipRequest
{
    /// <summary>Largest header block read; phones' REGISTERs are well under 2 KB.</summary>
    public const int MaxHeaderBytes = 8 * 1024;

    /// <summary>Largest body skipped; a REGISTER has none.</summary>
    public const int MaxBodyBytes = 8 * 1024;

    // RFC 3261 7.3.3 compact forms of the headers the registrar echoes or reads.
    private static readonly Dictionary<string, string> Compact = new(StringComparer.OrdinalIgnoreCase)
    {
        ["v"] = "Via",
        ["f"] = "From",
        ["t"] = "To",
        ["i"] = "Call-ID",
        ["m"] = "Contact",
        ["l"] = "Content-Length",
    };

    private readonly List<(string Name, string Value)> _headers;

    private SipRequest(string method, string uri, List<(string Name, string Value)> headers)
    {
        Method = method;
        Uri = uri;
        _headers = headers;
    }

    public string Method { get; }

    public string Uri { get; }

    /// <summary>Every value of <paramref name="name"/> in order (Via may repeat).</summary>
    public IEnumerable<string> All(string name) =>
        _headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Header(string name) => All(name).FirstOrDefault();

    /// <summary>The body length the request declares (0 when absent).</summary>
    public int ContentLength =>
        int.TryParse(Header("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : 0;

    /// <summary>Parses the header block (without the blank line); throws <see cref="FormatException"/> in the peer's terms.</summary>
    public static SipRequest Parse(string block)
    {
        var lines = block.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[2] != "SIP/2.0" || requestLine[0].Length == 0 || !requestLine[0].All(char.IsAsciiLetterUpper))
        {
            throw new FormatException("the request line is not 'METHOD URI SIP/2.0'");
        }

        var headers = new List<(string, string)>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && headers.Count > 0)
            {
                // Folded continuation line (RFC 3261 7.3.1).
                var (name, value) = headers[^1];
                headers[^1] = (name, value + " " + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException("a header line has no name");
            }

            var headerName = line[..colon].Trim();
            headers.Add((Compact.GetValueOrDefault(headerName, headerName), line[(colon + 1)..].Trim()));
        }

        return new SipRequest(requestLine[0], requestLine[1], headers);
    }

    /// <summary>
    /// The device the REGISTER is from: the MAC in the Contact's <c>+sip.instance</c> (how CUCM identifies a SIP phone),
    /// else a <c>SEP&lt;MAC&gt;</c> user in From.
    /// </summary>
    public string? DeviceName()
    {
        var contact = Header("Contact") ?? "";
        const string Marker = "urn:uuid:";
        var at = contact.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (at >= 0)
        {
            var uuid = new string(contact[(at + Marker.Length)..].TakeWhile(c => char.IsAsciiHexDigit(c) || c == '-').ToArray()).Replace("-", "", StringComparison.Ordinal);
            if (uuid.Length == 32)
            {
                return "SEP" + uuid[20..].ToUpperInvariant();
            }
        }

        var from = Header("From") ?? "";
        var sip = from.IndexOf("sip:", StringComparison.OrdinalIgnoreCase);
        if (sip >= 0)
        {
            var user = new string(from[(sip + 4)..].TakeWhile(c => c != '@' && c != '>' && c != ';').ToArray());
            if (user.Length == 15 && user.StartsWith("SEP", StringComparison.OrdinalIgnoreCase) && user[3..].All(char.IsAsciiHexDigit))
            {
                return "SEP" + user[3..].ToUpperInvariant();
            }
        }

        return null;
    }

    /// <summary>A response echoing the transaction headers (Via, From, To, Call-ID, CSeq), as RFC 3261 8.2.6 asks.</summary>
    public byte[] Response(int code, string reason, string toTag, IEnumerable<(string Name, string Value)>? extra = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"SIP/2.0 {code} {reason}\r\n");
        foreach (var via in All("Via"))
        {
            text.Append("Via: ").Append(via).Append("\r\n");
        }

        text.Append("From: ").Append(Header("From")).Append("\r\n");
        var to = Header("To") ?? "";
        text.Append("To: ").Append(to).Append(to.Contains(";tag=", StringComparison.OrdinalIgnoreCase) ? "" : ";tag=" + toTag).Append("\r\n");
        text.Append("Call-ID: ").Append(Header("Call-ID")).Append("\r\n");
        text.Append("CSeq: ").Append(Header("CSeq")).Append("\r\n");
        foreach (var (name, value) in extra ?? [])
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        text.Append("Server: SbdServer\r\nContent-Length: 0\r\n\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
