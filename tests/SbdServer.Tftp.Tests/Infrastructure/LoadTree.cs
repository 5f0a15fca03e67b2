using SbdServer.Testing;
using Xunit;

namespace SbdServer.Tftp.Tests.Infrastructure;

/// <summary>
/// A TFTP root built by <c>tftp_load.py make-tree</c> for 1000 phones, plus a 33.5 MB file that needs the 16-bit
/// block number to roll over at 512-byte blocks. Built once per test class.
/// </summary>
public sealed class LoadTree : IAsyncLifetime
{
    public const int BigFileBytes = 35_127_296; // 33.5 MiB = 68 608 blocks of 512 bytes

    private readonly TempTree _tree = new();

    public string Root => _tree.Path;

    public string Script { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (SharedFiles.SharedRoot is null)
        {
            return; // the tests skip (or fail under CI) through SharedFiles.Require
        }

        Script = SharedFiles.Require("bench/tftp_load.py");
        var python = Requirements.Tool("python3");
        var (code, output) = await Tool.RunAsync(python, [Script, "make-tree", _tree.Path, "--phones", "1000"]);
        if (code != 0)
        {
            throw new InvalidOperationException("make-tree failed: " + output);
        }

        var big = new byte[BigFileBytes];
        new Random(7).NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(_tree.Path, "big_rollover.bin"), big);
    }

    public ValueTask DisposeAsync()
    {
        _tree.Dispose();
        return ValueTask.CompletedTask;
    }
}
