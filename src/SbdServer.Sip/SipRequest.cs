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

    /// <summary>
    /// The body length the request declares: 0 when absent, null when the header is not a byte count (a sign, letters,
    /// beyond <see cref="int.MaxValue"/>), in which case the next request's start is unknown.
    /// </summary>
    public int? ContentLength => Header("Content-Length") is not { } text
        ? 0
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;

    /// <summary>
    /// The registration lifetime the REGISTER asks for (RFC 3261 10.2.1.1): the Contact's <c>expires</c> parameter,
    /// else the Expires header; null when it asks for none. Throws <see cref="FormatException"/> for a value that is
    /// not a number of seconds.
    /// </summary>
    public long? RequestedExpires()
    {
        var parameter = ContactParameter("expires");
        var text = parameter ?? Header("Expires");
        if (text is null)
        {
            return null;
        }

        // RFC 3261 20.19: delta-seconds; larger than 2**32-1 is taken as 2**32-1.
        return text.Length > 0 && text.All(char.IsAsciiDigit)
            ? text.Length > 10 ? uint.MaxValue : Math.Min(long.Parse(text, CultureInfo.InvariantCulture), uint.MaxValue)
            : throw new FormatException((parameter is null ? "Expires" : "the Contact's expires parameter") + " is not a number of seconds");
    }

    /// <summary>The Contact's address and parameters without <c>expires</c> (the registrar states its own).</summary>
    public string? ContactWithoutExpires()
    {
        if (Header("Contact") is not { } contact)
        {
            return null;
        }

        var (address, parameters) = SplitContact(contact);
        return address + string.Concat(parameters
            .Where(p => !p.StartsWith("expires=", StringComparison.OrdinalIgnoreCase) && !p.Equals("expires", StringComparison.OrdinalIgnoreCase))
            .Select(p => ";" + p));
    }

    private string? ContactParameter(string name)
    {
        if (Header("Contact") is not { } contact)
        {
            return null;
        }

        var prefix = name + "=";
        return SplitContact(contact).Parameters
            .Where(p => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[prefix.Length..].Trim())
            .FirstOrDefault();
    }

    /// <summary>
    /// A Contact value as its address (up to the <c>&gt;</c> of a name-addr, whose URI may carry its own <c>;</c>
    /// parameters) and the header parameters after it.
    /// </summary>
    private static (string Address, string[] Parameters) SplitContact(string contact)
    {
        var end = contact.IndexOf('>', StringComparison.Ordinal);
        var split = end >= 0 ? end + 1 : contact.IndexOf(';', StringComparison.Ordinal) is var semi and >= 0 ? semi : contact.Length;
        var parameters = contact[split..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (contact[..split].TrimEnd(), parameters);
    }

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
            // Echoed into the response: a bare CR or LF, NUL or other control byte would let the peer shape it.
            if (line.Any(c => char.IsControl(c) && c != '\t'))
            {
                throw new FormatException("a header line holds a control character");
            }

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

        // A 400 for a request without one of them echoes the rest rather than an empty header.
        AppendIfPresent(text, "From", Header("From"));
        if (Header("To") is { } to)
        {
            text.Append("To: ").Append(to).Append(to.Contains(";tag=", StringComparison.OrdinalIgnoreCase) ? "" : ";tag=" + toTag).Append("\r\n");
        }

        AppendIfPresent(text, "Call-ID", Header("Call-ID"));
        AppendIfPresent(text, "CSeq", Header("CSeq"));
        foreach (var (name, value) in extra ?? [])
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        text.Append("Server: SbdServer\r\nContent-Length: 0\r\n\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void AppendIfPresent(StringBuilder text, string name, string? value)
    {
        if (value is not null)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }
    }
}
