using System.Globalization;

namespace SbdServer.Tftp.Client;

/// <summary>Parses "host", "host:port", "[v6]" and "[v6]:port" (a bare IPv6 address is taken whole).</summary>
internal static class TftpEndpointParser
{
    public static bool TryParse(string text, int defaultPort, out string host, out int port)
    {
        host = string.Empty;
        port = defaultPort;
        var value = text.Trim();
        if (value.Length == 0)
        {
            return false;
        }

        if (value[0] == '[')
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            host = value[1..close];
            var rest = value[(close + 1)..];
            return rest.Length == 0 || (rest[0] == ':' && TryPort(rest[1..], out port));
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || value.IndexOf(':', colon + 1) >= 0)
        {
            host = value; // a host name, an IPv4 address or a bare IPv6 address
            return true;
        }

        host = value[..colon];
        return host.Length > 0 && TryPort(value[(colon + 1)..], out port);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
