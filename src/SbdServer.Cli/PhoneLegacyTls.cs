using System.Runtime.InteropServices;

namespace SbdServer.Cli;

/// <summary>
/// Lets the <c>sbd phone</c> process's OpenSSL speak TLS 1.0, which the emulated 7900-series phones offer only: points
/// <c>OPENSSL_CONF</c> at <c>openssl-phone-legacy.cnf</c> (security level 0) before anything initialises OpenSSL.
/// Without it a 7962 fails every TVS connection ("Authentication failed") against a node that accepts TLS 1.0,
/// unlike a real 7962. The native <c>setenv</c> is needed because OpenSSL reads the C environment, not .NET's copy.
/// </summary>
internal static partial class PhoneLegacyTls
{
    public const string ConfigFileName = "openssl-phone-legacy.cnf";
    public const string Variable = "OPENSSL_CONF";

    /// <summary>Sets <c>OPENSSL_CONF</c> unless the user set it (their file then decides); a no-op off OpenSSL.</summary>
    public static void EnableForProcess()
    {
        if ((!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, ConfigFileName);

        // A missing file or a failed setenv leaves OpenSSL's defaults: modern models still work, and a 7962's TVS
        // failure then says why in its console log.
        if (File.Exists(path) && SetEnv(Variable, path, 1) == 0)
        {
            Environment.SetEnvironmentVariable(Variable, path);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
