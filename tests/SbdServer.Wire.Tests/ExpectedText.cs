namespace SbdServer.Wire.Tests;

/// <summary>
/// The independent tool's printout (<c>*.expected.txt</c>): blocks of <c>Key: value</c> lines separated by blank
/// lines; the first block is the header, the others records, the last line the verdict.
/// </summary>
internal sealed class ExpectedText
{
    private ExpectedText(List<Dictionary<string, string>> blocks, string verdict)
    {
        Header = blocks[0];
        Records = blocks.Skip(1).ToList();
        Verdict = verdict;
    }

    public Dictionary<string, string> Header { get; }

    public IReadOnlyList<Dictionary<string, string>> Records { get; }

    public string Verdict { get; }

    public static ExpectedText Load(string path)
    {
        var blocks = new List<Dictionary<string, string>>();
        var current = new Dictionary<string, string>();
        var verdict = "";
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Trim().Length == 0)
            {
                if (current.Count > 0)
                {
                    blocks.Add(current);
                    current = [];
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                verdict = line.Trim();
                continue;
            }

            current[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        if (current.Count > 0)
        {
            blocks.Add(current);
        }

        return new ExpectedText(blocks, verdict);
    }

    /// <summary>The number in values like <c>492 bytes</c>.</summary>
    public static int Bytes(string value) => int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
