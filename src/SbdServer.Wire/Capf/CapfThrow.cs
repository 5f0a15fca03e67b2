using System.Diagnostics.CodeAnalysis;

namespace SbdServer.Wire.Capf;

/// <summary>Throw helpers so the parsing paths stay small and every message has one wording.</summary>
internal static class CapfThrow
{
    [DoesNotReturn]
    public static void Format(string message) => throw new CapfFormatException(message);

    [DoesNotReturn]
    public static T Format<T>(string message) => throw new CapfFormatException(message);
}
