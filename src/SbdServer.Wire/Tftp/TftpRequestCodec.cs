using System.Buffers.Binary;
using System.Text;

namespace SbdServer.Wire.Tftp;

/// <summary>Reads and writes RRQ/WRQ packets (RFC 1350 section 5, RFC 2347 options).</summary>
/// <remarks>
/// <code>
///  2 bytes    string   1 byte   string  1 byte   string  1 byte  string  1 byte
///  +--------+----------+------+--------+------+ +--------+------+--------+------+
///  | 01/02  | filename |  0   |  mode  |  0   | | opt1   |  0   | value1 |  0   | ...
///  +--------+----------+------+--------+------+ +--------+------+--------+------+
/// </code>
/// Parsing is lenient where real clients are sloppy (docs/protocols/tftp.md): a missing final NUL is accepted,
/// empty strings after the mode (the Cisco 7940 extra NUL) are skipped, an option without a value is dropped, and
/// options beyond <see cref="MaxOptions"/> are ignored rather than failing the request.
/// </remarks>
public static class TftpRequestCodec
{
    /// <summary>Longest file name accepted (bytes). CUCM names are well under 64.</summary>
    public const int MaxFileNameLength = 255;

    /// <summary>Option pairs kept from one request; the rest are ignored so a hostile request costs bounded memory.</summary>
    public const int MaxOptions = 16;

    /// <summary>Longest option name or value kept; longer pairs are ignored.</summary>
    public const int MaxOptionTextLength = 64;

    private const int OpcodeSize = 2;

    /// <summary>Parses an RRQ or WRQ.</summary>
    /// <exception cref="TftpFormatException">Not a request, or the file name or mode is missing or too long.</exception>
    public static TftpRequest Parse(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < OpcodeSize)
        {
            throw new TftpFormatException($"TFTP opcode: need {OpcodeSize} bytes, have {packet.Length}.");
        }

        var opcode = BinaryPrimitives.ReadUInt16BigEndian(packet);
        if (opcode is not ((ushort)TftpOpcode.Rrq or (ushort)TftpOpcode.Wrq))
        {
            throw new TftpFormatException($"TFTP request opcode: expected 1 or 2, got {opcode}.");
        }

        var rest = packet[OpcodeSize..];
        var nameEnd = rest.IndexOf((byte)0);
        if (nameEnd < 0)
        {
            throw new TftpFormatException($"TFTP request file name: no NUL terminator in {rest.Length} bytes.");
        }

        if (nameEnd == 0)
        {
            throw new TftpFormatException("TFTP request file name: empty.");
        }

        if (nameEnd > MaxFileNameLength)
        {
            throw new TftpFormatException(
                $"TFTP request file name: {nameEnd} bytes exceeds the limit of {MaxFileNameLength}.");
        }

        var fileName = Encoding.Latin1.GetString(rest[..nameEnd]);
        rest = rest[(nameEnd + 1)..];

        var mode = NextString(ref rest);
        if (mode.IsEmpty)
        {
            throw new TftpFormatException("TFTP request mode: missing.");
        }

        if (mode.Length > MaxOptionTextLength)
        {
            throw new TftpFormatException(
                $"TFTP request mode: {mode.Length} bytes exceeds the limit of {MaxOptionTextLength}.");
        }

        var modeText = Encoding.Latin1.GetString(mode);
        var options = new List<TftpOption>();
        while (!rest.IsEmpty && options.Count < MaxOptions)
        {
            var name = NextString(ref rest);
            if (name.IsEmpty)
            {
                continue; // Cisco 7940: an extra NUL after the mode reads as an empty option name.
            }

            if (rest.IsEmpty)
            {
                break; // a name without a value: nothing to negotiate
            }

            var value = NextString(ref rest);
            if (name.Length <= MaxOptionTextLength && value.Length <= MaxOptionTextLength)
            {
                options.Add(new TftpOption(Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
            }
        }

        return new TftpRequest((TftpOpcode)opcode, fileName, modeText, options);
    }

    /// <summary>Maps a mode string (case-insensitive) to a supported mode.</summary>
    public static bool TryParseMode(string modeText, out TftpMode mode)
    {
        if (string.Equals(modeText, "octet", StringComparison.OrdinalIgnoreCase))
        {
            mode = TftpMode.Octet;
            return true;
        }

        if (string.Equals(modeText, "netascii", StringComparison.OrdinalIgnoreCase))
        {
            mode = TftpMode.Netascii;
            return true;
        }

        mode = default;
        return false;
    }

    /// <summary>Writes an RRQ (octet mode) with options; returns the packet length.</summary>
    /// <exception cref="ArgumentException">The destination is too small or a string contains a NUL.</exception>
    public static int WriteRrq(Span<byte> destination, string fileName, IReadOnlyList<TftpOption> options)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Rrq);
        var written = OpcodeSize;
        written += WriteString(destination[written..], fileName);
        written += WriteString(destination[written..], "octet");
        foreach (var option in options)
        {
            written += WriteString(destination[written..], option.Name);
            written += WriteString(destination[written..], option.Value);
        }

        return written;
    }

    internal static int WriteString(Span<byte> destination, string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("TFTP strings cannot contain NUL.", nameof(text));
        }

        var length = Encoding.Latin1.GetBytes(text, destination);
        if (length >= destination.Length)
        {
            throw new ArgumentException("Destination too small for the TFTP string.", nameof(destination));
        }

        destination[length] = 0;
        return length + 1;
    }

    private static ReadOnlySpan<byte> NextString(ref ReadOnlySpan<byte> rest)
    {
        var end = rest.IndexOf((byte)0);
        ReadOnlySpan<byte> value;
        if (end < 0)
        {
            value = rest; // missing final NUL: tolerated, as tftp-hpa and dnsmasq do
            rest = default;
        }
        else
        {
            value = rest[..end];
            rest = rest[(end + 1)..];
        }

        return value;
    }
}
