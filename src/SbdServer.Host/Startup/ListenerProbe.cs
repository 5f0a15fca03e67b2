using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SbdServer.Capf;
using SbdServer.Core.Hosting;
using SbdServer.PhoneServices;
using SbdServer.Sip;
using SbdServer.Tftp;
using SbdServer.Tvs;

namespace SbdServer.Host.Startup;

/// <summary>
/// Binds, and at once releases, every port the node will listen on, before anything else runs. A first start that
/// would fail on a taken port must fail before it generates secrets and creates the cluster, so that fixing the port
/// and starting again is a clean first start, not a second one against half-made state. Port 0 (tests) is skipped.
/// </summary>
internal static class ListenerProbe
{
    private sealed record Listener(string Setting, ProtocolType Protocol, IPEndPoint EndPoint, Func<SocketError, string> Message);

    /// <remarks>
    /// The listeners' settings come from their bound options, so a setting the options framework refuses is reported
    /// as such (exit 2, naming it) before any port is tried.
    /// </remarks>
    public static void Check(IServiceProvider services, IConfiguration configuration)
    {
        foreach (var listener in Listeners(services, configuration))
        {
            var error = TryBind(listener.Protocol, listener.EndPoint);
            if (error != SocketError.Success)
            {
                throw new ListenerBindException(listener.Setting, error, listener.Message(error));
            }
        }
    }

    private static IEnumerable<Listener> Listeners(IServiceProvider services, IConfiguration configuration)
    {
        var tftp = services.GetRequiredService<IOptions<TftpOptions>>().Value;
        if (tftp.Enabled)
        {
            var address = Address(tftp.Address, "Tftp:Address");
            yield return new("Tftp:Port", ProtocolType.Udp, EndPoint(address, tftp.Port, "Tftp:Port"),
                e => TftpServerService.BindFailureMessage("UDP", new IPEndPoint(address, tftp.Port), e, "Tftp:Port"));
            if (tftp.HttpEnabled)
            {
                yield return new("Tftp:HttpPort", ProtocolType.Tcp, EndPoint(address, tftp.HttpPort, "Tftp:HttpPort"),
                    e => TftpServerService.BindFailureMessage("TCP", new IPEndPoint(address, tftp.HttpPort), e, "Tftp:HttpPort"));
            }
        }

        var tvs = services.GetRequiredService<IOptions<TvsOptions>>().Value;
        if (tvs.Enabled)
        {
            var endPoint = EndPoint(Address(tvs.Address, "Tvs:Address"), tvs.Port, "Tvs:Port");
            yield return new("Tvs:Port", ProtocolType.Tcp, endPoint, e => TvsServer.BindFailureMessage(endPoint, e));
        }

        var capf = services.GetRequiredService<IOptions<CapfOptions>>().Value;
        if (capf.Enabled)
        {
            var endPoint = EndPoint(Address(capf.Address, "Capf:Address"), capf.Port, "Capf:Port");
            yield return new("Capf:Port", ProtocolType.Tcp, endPoint, e => CapfServer.BindFailureMessage(endPoint, e));
        }

        var sip = services.GetRequiredService<IOptions<SipOptions>>().Value;
        if (sip.Enabled)
        {
            var endPoint = EndPoint(Address(sip.Address, "Sip:Address"), sip.Port, "Sip:Port");
            yield return new("Sip:Port", ProtocolType.Tcp, endPoint, e => SipServer.BindFailureMessage(endPoint, e));
        }

        var phone = services.GetRequiredService<IOptions<PhoneServicesOptions>>().Value;
        if (phone.Enabled)
        {
            var endPoint = EndPoint(Address(phone.Address, "PhoneServices:Address"), phone.Port, "PhoneServices:Port");
            yield return new("PhoneServices:Port", ProtocolType.Tcp, endPoint, e => PhoneServicesListener.BindFailureMessage(endPoint, e));
        }

        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (AdminEndPoint(url) is { } endPoint)
            {
                yield return new("Urls", ProtocolType.Tcp, endPoint, e =>
                    $"The admin API cannot listen on {url} (port {endPoint.Port}): {Cause(e)}. Fix: stop the other service, "
                    + "or set --urls (ASPNETCORE_URLS, appsettings \"Urls\") to a free address and port.");
            }
        }
    }

    private static string Cause(SocketError error) => error switch
    {
        SocketError.AddressAlreadyInUse => "the port is already in use (a second SbdServer or another web server?)",
        SocketError.AccessDenied => "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE",
        SocketError.AddressNotAvailable => "the address is not configured on this machine",
        _ => $"socket error {error}",
    };

    /// <summary>Where Kestrel binds a URL of <c>--urls</c>: localhost is loopback, a wildcard or other name any address.</summary>
    private static IPEndPoint? AdminEndPoint(string url)
    {
        var normalized = url.Replace("://+", "://wildcard.invalid", StringComparison.Ordinal)
            .Replace("://*", "://wildcard.invalid", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            return null; // Kestrel reports what it cannot parse itself; port 0 means any free port
        }

        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip))
        {
            return new IPEndPoint(ip, uri.Port);
        }

        return uri.IsLoopback
            ? new IPEndPoint(IPAddress.Loopback, uri.Port)
            : new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, uri.Port);
    }

    private static IPAddress Address(string text, string setting) =>
        IPAddress.TryParse(text, out var address)
            ? address
            : throw new StartupConfigurationException(setting, $"{setting} must be an IP address, not '{text}'.");

    private static IPEndPoint EndPoint(IPAddress address, int port, string setting) =>
        port is >= 0 and <= IPEndPoint.MaxPort
            ? new IPEndPoint(address, port)
            : throw new StartupConfigurationException(setting, $"{setting} must be 0 to 65535, not {port}.");

    private static SocketError TryBind(ProtocolType protocol, IPEndPoint endPoint)
    {
        if (endPoint.Port == 0)
        {
            return SocketError.Success;
        }

        using var socket = new Socket(endPoint.AddressFamily, protocol == ProtocolType.Udp ? SocketType.Dgram : SocketType.Stream, protocol);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true; // as the listeners bind it: IPv4 too
            }

            socket.Bind(endPoint);
            if (protocol == ProtocolType.Tcp)
            {
                socket.Listen(1);
            }

            return SocketError.Success;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
    }
}
