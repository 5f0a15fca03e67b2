using System.Text.RegularExpressions;
using SbdServer.Testing;
using Xunit;

namespace SbdServer.Deploy.Tests;

/// <summary>
/// Every relative link in README.md and docs/ (and the folders' own README files) points at a file or folder of the
/// repository, and a <c>#fragment</c> into a Markdown file at one of its headings, as GitHub renders them.
/// </summary>
public sealed partial class DocumentationLinkTests
{
    private static string Root => SharedFiles.RepositoryRoot;

    public static TheoryData<string> Documents()
    {
        var files = new TheoryData<string>();
        foreach (var file in new[] { "README.md" }
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docker"), "*.md").Select(f => Path.GetRelativePath(Root, f)))
            .Order(StringComparer.Ordinal))
        {
            files.Add(file.Replace('\\', '/'));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void RelativeLinks_Resolve(string document)
    {
        var broken = BrokenLinks(Path.Combine(Root, document)).ToList();
        Assert.True(broken.Count == 0, $"{document}: broken links:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void Checker_FindsAMissingFileAndAMissingHeading()
    {
        var dir = Directory.CreateTempSubdirectory("sbd-links-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.md"), "# A title\n\n## Exit codes (issue 14)\n\n[ok](b.md#second-part) [ok](#exit-codes-issue-14)\n"
                + "[missing](c.md) [bad anchor](b.md#nowhere) `[code](not-a-link.md)`\n\n```\n[fenced](also-not.md)\n```\n[web](https://example.com/x)\n");
            File.WriteAllText(Path.Combine(dir, "b.md"), "# B\n\n## Second part\n");
            var broken = BrokenLinks(Path.Combine(dir, "a.md"), dir).ToList();
            Assert.Equal(["line 6: c.md (no such file)", "line 6: b.md#nowhere (no heading 'nowhere')"], broken);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IEnumerable<string> BrokenLinks(string file, string? root = null)
    {
        root ??= Root;
        var lines = File.ReadAllLines(file);
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                continue;
            }

            foreach (Match link in LinkTarget().Matches(InlineCode().Replace(lines[i], "")))
            {
                var target = link.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var path = hash < 0 ? target : target[..hash];
                var fragment = hash < 0 ? null : target[(hash + 1)..];
                var resolved = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(path)));
                if (!resolved.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    yield return $"line {i + 1}: {target} (outside the repository)";
                }
                else if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    yield return $"line {i + 1}: {target} (no such file)";
                }
                else if (fragment is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.Ordinal)
                    && !Anchors(resolved).Contains(fragment))
                {
                    yield return $"line {i + 1}: {target} (no heading '{fragment}')";
                }
            }
        }
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in File.ReadLines(markdown))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }
            else if (!fenced && Heading().Match(line) is { Success: true } heading)
            {
                var slug = NotSlug().Replace(heading.Groups[1].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-');
                var unique = slug;
                for (var n = 1; !anchors.Add(unique); n++)
                {
                    unique = $"{slug}-{n}";
                }
            }
        }

        return anchors;
    }

    [GeneratedRegex(@"\[[^\]]*\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{Nd}\s_-]")]
    private static partial Regex NotSlug();
}
