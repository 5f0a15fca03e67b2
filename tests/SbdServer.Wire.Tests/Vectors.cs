using System.Security.Cryptography.X509Certificates;
using SbdServer.Testing;

namespace SbdServer.Wire.Tests;

/// <summary>Paths and certificates of ../shared/vectors.</summary>
internal static class Vectors
{
    public static string Path(string relative) => SharedFiles.Require(System.IO.Path.Combine("vectors", relative));

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    public static X509Certificate2 Certificate(string name) =>
        X509Certificate2.CreateFromPemFile(Path(System.IO.Path.Combine("certs", name)));
}
