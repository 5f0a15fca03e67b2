using System.Diagnostics.CodeAnalysis;

namespace SbdServer.Wire.Tvs;

/// <summary>Throw helpers so the hot parsing paths stay small and every message has one wording.</summary>
internal static class TvsThrow
{
    [DoesNotReturn]
    public static void Format(string message) => throw new TvsFormatException(message);

    [DoesNotReturn]
    public static T Format<T>(string message) => throw new TvsFormatException(message);
}
