using System.CommandLine;
using SbdServer.Wire.Signed;

namespace SbdServer.Cli;

/// <summary>Options several commands share.</summary>
internal static class CliOptions
{
    public static Option<string> Digest() => new("--digest")
    {
        Description = "Signature digest: sha1 (CUCM default), sha256 or sha512.",
        DefaultValueFactory = _ => "sha1",
    };

    public static Option<bool> Force() => new("--force")
    {
        Description = "Overwrite output files that already exist.",
    };

    public static HashAlgorithmCode ParseDigest(string text) =>
        HashAlgorithms.Parse(text) ?? throw new CliException($"--digest: '{text}' is not sha1, sha256 or sha512.");
}
