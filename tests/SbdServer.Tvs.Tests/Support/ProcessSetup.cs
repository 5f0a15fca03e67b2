using System.Runtime.CompilerServices;
using SbdServer.Listeners;

namespace SbdServer.Tvs.Tests.Support;

internal static class ProcessSetup
{
    /// <summary>
    /// What the Host does when Tvs:AllowTls10 is set, done before any test touches OpenSSL. Servers with
    /// AllowTls10=false still refuse TLS 1.0 (tested): .NET disables the protocol explicitly per connection.
    /// </summary>
#pragma warning disable CA2255 // A test executable, not a library: this is the process's first code.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void EnableLegacyTls() => LegacyTls.EnableForProcess();
}
