using System.Net.Sockets;

namespace SbdServer.Core.Hosting;

/// <summary>
/// A listener could not bind its port while the node starts. The message is written for the operator (the port, the
/// likely cause and the fix); <see cref="Setting"/> is the configuration key to change, so the host can refuse the
/// start with one line and a documented exit code instead of a stack trace.
/// </summary>
public sealed class ListenerBindException(string setting, SocketError error, string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException)
{
    /// <summary>The configuration key that names the port (e.g. <c>Tftp:Port</c>).</summary>
    public string Setting { get; } = setting;

    /// <summary>Why the bind failed: <see cref="SocketError.AddressAlreadyInUse"/>, <see cref="SocketError.AccessDenied"/> ...</summary>
    public SocketError Error { get; } = error;
}
