using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SbdServer.Phone.Net;

/// <summary>
/// Turns the names a configuration file holds (CallManager group, TVS list, service URLs) into addresses, like curl's
/// <c>--resolve</c>: <c>NAME=ADDR</c> maps the name on every port; <c>NAME:PORT=ADDR:PORT</c> maps one port of it to
/// another address and port (so tests can point a config's standard port 2445 at a listener on a free port). Names
/// without an entry go to DNS; IP literals are used as they are.
/// </summary>
public sealed class PhoneResolver
{
    private readonly Dictionary<string, IPAddress> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Host, int Port), IPEndPoint> _ports = [];

    public static PhoneResolver Empty { get; } = new();

    /// <summary>The entries as given, for storing with the phone and printing.</summary>
    public IReadOnlyList<string> Entries { get; private set; } = [];

    /// <summary>Parses <c>--resolve</c> values.</summary>
    /// <exception cref="FormatException">An entry is not NAME=ADDR or NAME:PORT=ADDR:PORT.</exception>
    public static PhoneResolver Parse(IEnumerable<string> entries)
    {
        var resolver = new PhoneResolver();
        var list = new List<string>();
        foreach (var entry in entries)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == entry.Length - 1)
            {
                throw new FormatException($"--resolve '{entry}': expected NAME=ADDR or NAME:PORT=ADDR:PORT.");
            }

            var (name, namePort) = SplitHostPort(entry[..equals], null, "--resolve " + entry);
            var (addressText, addressPort) = SplitHostPort(entry[(equals + 1)..], namePort, "--resolve " + entry);
            if (!IPAddress.TryParse(addressText, out var address))
            {
                throw new FormatException($"--resolve '{entry}': '{addressText}' is not an IP address.");
            }

            if (namePort is { } port)
            {
                resolver._ports[(name, port)] = new IPEndPoint(address, addressPort ?? port);
            }
            else if (addressPort is not null)
            {
                throw new FormatException($"--resolve '{entry}': a port on the address needs a port on the name.");
            }
            else
            {
                resolver._names[name] = address;
            }

            list.Add(entry);
        }

        resolver.Entries = list;
        return resolver;
    }

    /// <summary>Where a connection to <paramref name="host"/>:<paramref name="port"/> goes.</summary>
    /// <exception cref="PhoneNetworkException">The name has no entry and DNS does not know it.</exception>
    public async Task<IPEndPoint> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (_ports.TryGetValue((host, port), out var mapped))
        {
            return mapped;
        }

        if (_names.TryGetValue(host, out var named))
        {
            return new IPEndPoint(named, port);
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            return new IPEndPoint(literal, port);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return address is null
                ? throw new PhoneNetworkException($"{host}: no address (give --resolve {host}=ADDR).")
                : new IPEndPoint(address, port);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new PhoneNetworkException($"{host}: cannot resolve ({e.Message}); give --resolve {host}=ADDR.", e);
        }
    }

    /// <summary>Splits <c>HOST[:PORT]</c> (IPv6 as <c>[addr]:port</c>).</summary>
    /// <exception cref="FormatException">The port is not 1..65535 or the brackets do not close.</exception>
    public static (string Host, int? Port) SplitHostPort(string value, int? defaultPort, string context)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = value.Trim();
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"{context}: missing ']' after an IPv6 address.");
            }

            var rest = value[(close + 1)..];
            return (value[1..close], rest.Length == 0 ? defaultPort : ParsePort(rest.TrimStart(':'), context));
        }

        var colon = value.LastIndexOf(':');
        if (colon < 0 || value.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            return value.Length == 0 ? throw new FormatException($"{context}: empty host.") : (value, defaultPort);
        }

        return colon == 0
            ? throw new FormatException($"{context}: empty host.")
            : (value[..colon], ParsePort(value[(colon + 1)..], context));
    }

    private static int ParsePort(string text, string context) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException($"{context}: port '{text}' is not a number from 1 to 65535.");
}
