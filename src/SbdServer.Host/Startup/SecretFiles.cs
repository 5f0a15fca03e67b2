using System.Security.Cryptography;

namespace SbdServer.Host.Startup;

/// <summary>
/// Secrets the node needs at start (cluster security password, admin password). A configured value wins. Otherwise
/// a value generated on the very first start of a SQLite data directory is read back from
/// <c>{Sbd:DataDir}/secrets/NAME</c> (mode 0600), so <c>dotnet run</c> works with no setup; anywhere else a missing
/// secret stops the start with a clear error.
/// </summary>
internal static class SecretFiles
{
    public static string Resolve(
        string? configured, string key, string fileName, string dataDir, bool mayGenerate, ILogger logger)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var path = Path.Combine(Path.GetFullPath(dataDir), "secrets", fileName);
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            if (stored.Length > 0)
            {
                return stored;
            }
        }

        if (!mayGenerate)
        {
            throw new StartupConfigurationException(
                key,
                $"{key} is not set. Configure it (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) " +
                "with the value this cluster was created with; SbdServer does not start without it.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options))
        {
            writer.Write(generated);
        }

        HostLog.SecretGenerated(logger, key, path);
        return generated;
    }
}
