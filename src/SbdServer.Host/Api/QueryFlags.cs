using SbdServer.Core.Certificates;
using SbdServer.Core.Errors;

namespace SbdServer.Host.Api;

/// <summary>Parses optional query values with a reason when they are wrong (instead of a bare binding failure).</summary>
internal static class QueryFlags
{
    public static bool Bool(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        return bool.TryParse(value, out var result)
            ? result
            : throw new InvalidInputException($"Query parameter '{name}' must be true or false.");
    }

    /// <summary>
    /// A whole number clamped to <paramref name="min"/>..<paramref name="max"/> (as the routes always did), or
    /// <paramref name="fallback"/> when absent; anything that is not a whole number is refused with the range.
    /// </summary>
    public static int Int(string? value, string name, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        return long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? (int)Math.Clamp(number, min, max)
            : throw new InvalidInputException($"Query parameter '{name}' must be a whole number from {min} to {max}.");
    }

    public static KeyAlgorithm? Key(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return Enum.TryParse<KeyAlgorithm>(value, ignoreCase: true, out var key) && Enum.IsDefined(key)
            ? key
            : throw new InvalidInputException(
                $"Query parameter 'keyAlgorithm' must be one of {string.Join(", ", Enum.GetNames<KeyAlgorithm>())}.");
    }
}
