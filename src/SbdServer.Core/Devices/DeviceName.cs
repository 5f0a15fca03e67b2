using System.Diagnostics.CodeAnalysis;

namespace SbdServer.Core.Devices;

/// <summary>
/// A phone's CUCM device name, <c>SEP</c> followed by its MAC as 12 upper-case hex digits. Input is accepted in the
/// notations admins and phones use (<c>00:11:21:5a:1a:e3</c>, <c>00-11-21-5A-1A-E3</c>, <c>0011.215a.1ae3</c>,
/// <c>0011215A1AE3</c>, <c>sep0011215a1ae3</c>); anything else is rejected.
/// </summary>
public readonly record struct DeviceName
{
    private const int MacDigits = 12;

    private DeviceName(string mac) => Mac = mac;

    /// <summary>The MAC as 12 upper-case hex digits.</summary>
    public string Mac { get; }

    /// <summary>The device name, e.g. <c>SEP0011215A1AE3</c>.</summary>
    public string Value => "SEP" + Mac;

    public override string ToString() => Value;

    public static DeviceName Parse(string input) =>
        TryParse(input, out var name, out var error) ? name : throw new FormatException(error);

    public static bool TryParse(string? input, out DeviceName name) => TryParse(input, out name, out _);

    public static bool TryParse(string? input, out DeviceName name, [NotNullWhen(false)] out string? error)
    {
        name = default;
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "A device name or MAC address is required.";
            return false;
        }

        var text = input.Trim();
        if (text.Length > 32)
        {
            error = "A device name or MAC address is at most 32 characters.";
            return false;
        }

        if (text.StartsWith("SEP", StringComparison.OrdinalIgnoreCase))
        {
            text = text[3..];
        }

        Span<char> digits = stackalloc char[MacDigits];
        var count = 0;
        char? separator = null;
        foreach (var c in text)
        {
            if (char.IsAsciiHexDigit(c))
            {
                if (count == MacDigits)
                {
                    error = $"'{Shorten(input)}' has more than 12 hex digits; a MAC address has exactly 12.";
                    return false;
                }

                digits[count++] = char.ToUpperInvariant(c);
            }
            else if (c is ':' or '-' or '.' && (separator is null || separator == c))
            {
                // One separator style per input: "00:11-21..." is a typo, not a MAC.
                separator = c;
            }
            else
            {
                error = $"'{Shorten(input)}' is not a MAC address: unexpected character '{c}'.";
                return false;
            }
        }

        if (count != MacDigits)
        {
            error = $"'{Shorten(input)}' has {count} hex digits; a MAC address has exactly 12.";
            return false;
        }

        if (separator is not null && !HasValidGrouping(text, separator.Value))
        {
            error = $"'{Shorten(input)}' groups its digits oddly; use 00:11:22:33:44:55, 0011.2233.4455 or 001122334455.";
            return false;
        }

        name = new DeviceName(new string(digits));
        error = null;
        return true;
    }

    private static bool HasValidGrouping(string text, char separator)
    {
        var groups = text.Split(separator);
        return separator == '.'
            ? groups.Length == 3 && groups.All(g => g.Length == 4)
            : groups.Length == 6 && groups.All(g => g.Length == 2);
    }

    private static string Shorten(string input) => input.Length <= 40 ? input : input[..40] + "...";
}
