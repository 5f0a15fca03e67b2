namespace SbdServer.Crypto.Tests;

/// <summary>The shared interop vectors (<c>../shared/vectors</c>) the signing and encryption tests read in place.</summary>
internal static class Vectors
{
    public static string Require(string relative) => Testing.SharedFiles.Require(Path.Combine("vectors", relative));
}
