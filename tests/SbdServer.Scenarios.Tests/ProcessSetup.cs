using System.Runtime.CompilerServices;
using SbdServer.Listeners;

namespace SbdServer.Scenarios.Tests;

internal static class ProcessSetup
{
    /// <summary>
    /// The emulated 7900-series phones run in this process and offer TLS 1.0 only, which OpenSSL 3 refuses at its
    /// default security level on the client side as well (docs/adr/0001-tvs-tls.md); done before anything touches
    /// OpenSSL. Newer models still negotiate TLS 1.2: the protocol versions stay explicit per connection.
    /// </summary>
#pragma warning disable CA2255 // A test executable, not a library: this is the process's first code.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void EnableLegacyTls() => LegacyTls.EnableForProcess();
}
