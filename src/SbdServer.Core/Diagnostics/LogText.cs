using System.Globalization;
using System.Text;

namespace SbdServer.Core.Diagnostics;

/// <summary>
/// The one escaping rule for text a peer chose (TFTP file names, modes and options, TVS device names and elements,
/// HTTP paths, headers and user names) before it reaches a log: the result is a single printable line that cannot
/// end the log line or start a new one, and whose length is bounded.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>\</c> becomes <c>\\</c>, so an escape in the output always means the peer sent that character.</item>
/// <item><c>\n</c>, <c>\r</c>, <c>\t</c> and <c>\0</c> become those two-character escapes; other C0 controls and
/// DEL become <c>\xNN</c>.</item>
/// <item>C1 controls (<c>U+0080</c>-<c>U+009F</c>, including NEL), line and paragraph separators, format characters
/// (bidirectional overrides, zero-width characters, BOM) and unpaired surrogates become <c>\uNNNN</c>.</item>
/// <item>From bytes: every byte that is not part of well-formed UTF-8 becomes <c>\xNN</c>.</item>
/// <item>Past <c>maxChars</c> output characters the value is cut and <c>...(+N more)</c> appended, N counted in
/// input characters (or bytes).</item>
/// </list>
/// Escaped text never contains a control character, so <see cref="EscapeControls"/> (the log sink's safety net)
/// leaves it unchanged.
/// </remarks>
public static class LogText
{
    /// <summary>Default cap: long enough for any legitimate file, device or user name, short enough for a log line.</summary>
    public const int DefaultMaxChars = 256;

    /// <summary>Escapes a peer-supplied string; null becomes the empty string.</summary>
    public static string Escape(string? value, int maxChars = DefaultMaxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value.Length <= maxChars && IsPlain(value))
        {
            return value; // the common case (a phone's file name) allocates nothing
        }

        var output = new StringBuilder(Math.Min(value.Length, maxChars) + 16);
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            var width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                width = 2;
            }

            var before = output.Length;
            if (width == 2)
            {
                AppendScalar(output, char.ConvertToUtf32(c, value[i + 1]), value.AsSpan(i, 2), escapeBackslash: true);
            }
            else
            {
                AppendScalar(output, c, value.AsSpan(i, 1), escapeBackslash: true);
            }

            if (output.Length > maxChars)
            {
                output.Length = before;
                return Cut(output, value.Length - i);
            }

            i += width;
        }

        return output.ToString();
    }

    /// <summary>Escapes bytes a peer sent that should be UTF-8; ill-formed bytes are shown as <c>\xNN</c>.</summary>
    public static string EscapeUtf8(ReadOnlySpan<byte> value, int maxChars = DefaultMaxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        var output = new StringBuilder(Math.Min(value.Length, maxChars) + 16);
        Span<char> pair = stackalloc char[2];
        var i = 0;
        while (i < value.Length)
        {
            var before = output.Length;
            var status = Rune.DecodeFromUtf8(value[i..], out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                var n = rune.EncodeToUtf16(pair);
                AppendScalar(output, rune.Value, pair[..n], escapeBackslash: true);
            }
            else
            {
                // Each byte of an ill-formed sequence on its own, so the reader sees exactly what arrived.
                consumed = 1;
                AppendHexByte(output, value[i]);
            }

            if (output.Length > maxChars)
            {
                output.Length = before;
                return Cut(output, value.Length - i);
            }

            i += consumed;
        }

        return output.ToString();
    }

    /// <summary>
    /// Escapes a string that was decoded one byte per character (Latin-1, as TFTP decodes its fields): the original
    /// bytes are read again as UTF-8, so a UTF-8 name shows as sent and any other high byte as <c>\xNN</c>.
    /// </summary>
    public static string EscapeLatin1(string? value, int maxChars = DefaultMaxChars)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value.Length <= maxChars && IsPlain(value) && IsAscii(value))
        {
            return value;
        }

        var bytes = new byte[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            // Anything above 0xFF cannot come from a Latin-1 decode; show it rather than truncate it to a byte.
            if (value[i] > 0xFF)
            {
                return Escape(value, maxChars);
            }

            bytes[i] = (byte)value[i];
        }

        return EscapeUtf8(bytes, maxChars);
    }

    /// <summary>
    /// The sink's safety net for text that may already be escaped: escapes control, separator and format characters
    /// and unpaired surrogates like <see cref="Escape"/>, but leaves backslashes and the length alone, so it is
    /// idempotent on escaped text.
    /// </summary>
    public static string EscapeControls(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsPlain(value))
        {
            return value;
        }

        var output = new StringBuilder(value.Length + 16);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                AppendScalar(output, char.ConvertToUtf32(c, value[i + 1]), value.AsSpan(i, 2), escapeBackslash: false);
                i++;
            }
            else
            {
                AppendScalar(output, c, value.AsSpan(i, 1), escapeBackslash: false);
            }
        }

        return output.ToString();
    }

    /// <summary>True when <paramref name="value"/> contains nothing <see cref="Escape"/> would change (length aside).</summary>
    public static bool IsPlain(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is >= ' ' and < '\x7F' and not '\\')
            {
                continue;
            }

            if (c < 0xA0 || c == '\\')
            {
                return false;
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    if (NeedsEscape(char.ConvertToUtf32(c, value[i + 1])))
                    {
                        return false;
                    }

                    i++;
                    continue;
                }

                return false;
            }

            if (NeedsEscape(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAscii(string value)
    {
        foreach (var c in value)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static bool NeedsEscape(int scalar) => CharUnicodeInfo.GetUnicodeCategory(scalar) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned => true,
        _ => false,
    };

    private static void AppendScalar(StringBuilder output, int scalar, ReadOnlySpan<char> text, bool escapeBackslash)
    {
        switch (scalar)
        {
            case '\\':
                output.Append(escapeBackslash ? @"\\" : @"\");
                return;
            case '\n':
                output.Append(@"\n");
                return;
            case '\r':
                output.Append(@"\r");
                return;
            case '\t':
                output.Append(@"\t");
                return;
            case '\0':
                output.Append(@"\0");
                return;
        }

        if (scalar < 0x20 || scalar == 0x7F)
        {
            AppendHexByte(output, (byte)scalar);
        }
        else if (scalar is >= 0xD800 and <= 0xDFFF || NeedsEscape(scalar))
        {
            output.Append(@"\u");
            if (scalar > 0xFFFF)
            {
                output.Append(scalar.ToString("X6", CultureInfo.InvariantCulture));
            }
            else
            {
                output.Append(scalar.ToString("X4", CultureInfo.InvariantCulture));
            }
        }
        else
        {
            output.Append(text);
        }
    }

    private static void AppendHexByte(StringBuilder output, byte value) =>
        output.Append(@"\x").Append(value.ToString("X2", CultureInfo.InvariantCulture));

    private static string Cut(StringBuilder output, int remaining) =>
        output.Append("...(+").Append(remaining.ToString(CultureInfo.InvariantCulture)).Append(" more)").ToString();
}
