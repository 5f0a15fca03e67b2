namespace SbdServer.Tftp.Tests.Infrastructure;

/// <summary>A throw-away TFTP root under /tmp, removed on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Path = Directory.CreateTempSubdirectory("sbd-tftp-").FullName;
    }

    public string Path { get; }

    public byte[] Write(string relative, int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        Write(relative, bytes);
        return bytes;
    }

    public void Write(string relative, byte[] bytes)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
