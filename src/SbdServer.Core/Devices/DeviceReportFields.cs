using SbdServer.Core.Errors;

namespace SbdServer.Core.Devices;

/// <summary>The field rules of a phone's self-report: limits, hash and text normalisation.</summary>
public static class DeviceReportFields
{
    public const int MaxSignerLength = 512;

    public const int MaxStatusLength = 128;

    public const int MaxFirmwareLength = 128;

    /// <summary>
    /// Normalises a hash as phones and tools print it: any case, optionally grouped by <c>:</c>, <c>-</c> or spaces
    /// (the Trust List menu groups bytes). Empty means "not reported".
    /// </summary>
    public static string? Hex(string field, string? text, int digits)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Length > digits * 3)
        {
            throw new InvalidInputException($"Field '{field}' has {text.Length} characters; expected {digits} hex digits.");
        }

        Span<char> buffer = stackalloc char[digits * 3];
        var count = 0;
        foreach (var c in text)
        {
            if (c is ':' or '-' or ' ')
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                throw new InvalidInputException($"Field '{field}' must be hexadecimal ({digits} digits); it holds a character that is not.");
            }

            buffer[count++] = char.ToLowerInvariant(c);
        }

        if (count != digits)
        {
            throw new InvalidInputException($"Field '{field}' has {count} hex digits; expected {digits}.");
        }

        return new string(buffer[..count]);
    }

    public static string? Text(string field, string? text, int maxLength)
    {
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            throw new InvalidInputException($"Field '{field}' has {trimmed.Length} characters; the limit is {maxLength}.");
        }

        if (trimmed.Any(char.IsControl))
        {
            throw new InvalidInputException($"Field '{field}' must not contain control characters.");
        }

        return trimmed;
    }
}
