using System.Diagnostics.CodeAnalysis;

namespace SbdServer.Wire.Tlv;

/// <summary>Throw helpers kept out of the hot paths so the callers stay small and inlinable.</summary>
internal static class WireThrow
{
    [DoesNotReturn]
    public static void Format(string message) => throw new WireFormatException(message);

    [DoesNotReturn]
    public static T Format<T>(string message) => throw new WireFormatException(message);

    [DoesNotReturn]
    public static void Truncated(string context, string field, int offset, int needed, int available) =>
        throw new WireFormatException(
            $"{context}: {field} at offset {offset} needs {needed} bytes but only {available} remain.");

    [DoesNotReturn]
    public static void TooLarge(string context, string field, long length, long max) =>
        throw new WireFormatException($"{context}: {field} is {length} bytes, more than the limit of {max}.");
}
