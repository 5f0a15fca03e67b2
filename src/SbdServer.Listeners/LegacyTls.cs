using System.Runtime.InteropServices;

namespace SbdServer.Listeners;

/// <summary>
/// Makes the process's OpenSSL accept TLS 1.0 for whichever listener opts in (<c>Tvs:AllowTls10</c>,
/// <c>Capf:AllowTls10</c>, <c>PhoneServices:AllowTls10</c>; docs/adr/0001-tvs-tls.md): points <c>OPENSSL_CONF</c> at
/// <c>openssl-legacy-tls.cnf</c> (security level 0). OpenSSL reads it once, when .NET first initialises it, so this
/// must run before anything in the process uses cryptography or TLS, and it holds for every listener at once: the
/// level is the process's, the protocol versions stay each listener's (<see cref="TlsPolicy"/>). .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> only changes the managed copy of the environment,
/// hence the native <c>setenv</c>.
/// </summary>
public static partial class LegacyTls
{
    public const string ConfigFileName = "openssl-legacy-tls.cnf";
    public const string Variable = "OPENSSL_CONF";

    /// <summary>
    /// Sets <c>OPENSSL_CONF</c> for this process unless the operator already set it (their file then decides).
    /// Returns the configuration file in effect, or null on systems that do not use OpenSSL.
    /// </summary>
    public static string? EnableForProcess()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
        {
            return null;
        }

        var existing = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(existing))
        {
            return existing;
        }

        var path = Path.Combine(AppContext.BaseDirectory, ConfigFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{ConfigFileName} is missing next to the application.", path);
        }

        if (SetEnv(Variable, path, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({Variable}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        Environment.SetEnvironmentVariable(Variable, path);
        return path;
    }

    /// <summary>
    /// True when a listener allows TLS 1.0 on OpenSSL but no <c>OPENSSL_CONF</c> is in effect, so OpenSSL 3 would
    /// still refuse TLS 1.0 handshakes: the listener warns at start.
    /// </summary>
    public static bool MissingFor(bool allowTls10) =>
        allowTls10 && OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
