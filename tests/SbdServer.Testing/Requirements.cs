using System.Diagnostics.CodeAnalysis;
using Xunit;

namespace SbdServer.Testing;

/// <summary>
/// Skips a test whose outside requirement (../shared, PostgreSQL, Chromium, a CLI tool) is missing on a developer
/// machine, but fails it under CI (<c>CI=true</c>), where <c>.ci/run</c> installs everything and a skip would hide
/// untested code.
/// </summary>
public static class Requirements
{
    /// <summary>True when skips must become failures.</summary>
    public static bool SkipsForbidden =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable("SBD_FORBID_SKIPS") == "1";

    [DoesNotReturn]
    public static void SkipOrFail(string reason)
    {
        if (SkipsForbidden)
        {
            Assert.Fail($"Required for this test and forbidden to skip under CI: {reason}");
        }

        Assert.Skip(reason);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Full path of an executable found on PATH (or at an absolute path), skipping when absent.</summary>
    public static string Tool(string name, params string[] alternatives)
    {
        foreach (var candidate in alternatives.Prepend(name))
        {
            if (Path.IsPathRooted(candidate) && File.Exists(candidate))
            {
                return candidate;
            }

            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        SkipOrFail($"'{name}' is not installed.");
        return name;
    }
}
