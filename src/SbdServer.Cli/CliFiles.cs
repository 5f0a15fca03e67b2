using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SbdServer.Cli;

/// <summary>Reading inputs and PEM files, writing outputs; errors name the option, never a resolved path.</summary>
internal static class CliFiles
{
    private const int MaxInputBytes = 16 * 1024 * 1024;

    public static byte[] ReadInput(string path, string argument)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new CliException($"{argument}: the file does not exist.");
        }

        if (info.Length > MaxInputBytes)
        {
            throw new CliException($"{argument}: the file is {info.Length} bytes, more than {MaxInputBytes}.");
        }

        return File.ReadAllBytes(path);
    }

    /// <summary>A certificate from PEM; with <paramref name="requireKey"/> its private key must be in the file too.</summary>
    public static X509Certificate2 LoadCertificate(string path, string argument, bool requireKey)
    {
        var text = ReadPem(path, argument);
        if (!text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new CliException($"{argument}: no PEM CERTIFICATE block in the file.");
        }

        try
        {
            if (requireKey || text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            {
                if (!text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
                {
                    throw new CliException($"{argument}: the file holds no private key (key and certificate needed).");
                }

                return X509Certificate2.CreateFromPem(text, text);
            }

            return X509Certificate2.CreateFromPem(text);
        }
        catch (CryptographicException e)
        {
            throw new CliException($"{argument}: the PEM certificate or key cannot be loaded ({e.Message}).");
        }
        catch (ArgumentException)
        {
            throw new CliException($"{argument}: the PEM private key is not in a supported form.");
        }
    }

    public static RSA LoadRsaPrivateKey(string path, string argument)
    {
        var text = ReadPem(path, argument);
        if (text.Contains("BEGIN EC PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new CliException($"{argument}: the key is EC; encrypted configs need the phone's RSA key.");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(text);
            return rsa;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new CliException($"{argument}: no RSA private key found in the PEM file.");
        }
    }

    /// <summary>Writes an output file; an existing file is kept unless <paramref name="force"/>.</summary>
    public static void WriteOutput(string path, ReadOnlySpan<byte> bytes, bool force, string argument)
    {
        if (File.Exists(path) && !force)
        {
            throw new CliException($"{argument}: the output file exists; pass --force to overwrite it.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CliException($"{argument}: the output folder does not exist.");
        }

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.Write(bytes);
    }

    public static uint Now() => (uint)TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    private static string ReadPem(string path, string argument)
    {
        var bytes = ReadInput(path, argument);
        return System.Text.Encoding.ASCII.GetString(bytes);
    }
}
