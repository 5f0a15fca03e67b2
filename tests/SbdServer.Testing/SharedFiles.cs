namespace SbdServer.Testing;

/// <summary>
/// Locates the read-only <c>../shared</c> folder that sits next to the repository root (vectors, bench tools, docs).
/// Tests read it in place; nothing from it is ever copied into the repository.
/// </summary>
public static class SharedFiles
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The repository root (the folder holding SbdServer.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Full path of <c>../shared</c>, or null where it is absent.</summary>
    public static string? SharedRoot => Root.Value;

    /// <summary>Full path of a file or folder under <c>../shared</c>; skips the test (fails under CI) when absent.</summary>
    public static string Require(string relativePath)
    {
        var root = SharedRoot;
        if (root is null)
        {
            Requirements.SkipOrFail($"../shared is not next to the repository root ({RepositoryRoot}); vector tests need it.");
        }

        var full = Path.Combine(root, relativePath);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            Requirements.SkipOrFail($"{relativePath} is missing from ../shared.");
        }

        return full;
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SbdServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("SbdServer.sln not found above the test binaries.");
    }

    private static string? FindRoot()
    {
        var candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        return Directory.Exists(Path.Combine(candidate, "vectors")) ? candidate : null;
    }
}
