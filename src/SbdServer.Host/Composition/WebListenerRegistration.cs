using System.Net;
using SbdServer.PhoneServices;

namespace SbdServer.Host.Composition;

/// <summary>
/// The host's Kestrel endpoints (docs/adr/0006-one-https-listener.md): the node's HTTPS listener on
/// <c>PhoneServices:Port</c> with the tomcat certificate (phones, REST API, <c>/admin</c>), then the plain HTTP
/// addresses of <c>--urls</c> (default <c>http://127.0.0.1:8080</c>) for local scripts, probes and Prometheus.
/// </summary>
/// <remarks>
/// Kestrel ignores <c>--urls</c> as soon as one endpoint is configured in code, so the addresses are read here and
/// listened on explicitly. HTTPS in <c>--urls</c> is refused: the node's HTTPS is the tomcat listener.
/// </remarks>
internal static class WebListenerRegistration
{
    public static WebApplicationBuilder AddSbdWebListeners(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseSbdPhoneServicesHttps();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            foreach (var (address, port) in PlainEndPoints(context.Configuration[WebHostDefaults.ServerUrlsKey]))
            {
                if (address is null)
                {
                    kestrel.ListenLocalhost(port);
                }
                else
                {
                    kestrel.Listen(address, port);
                }
            }
        });
        return builder;
    }

    /// <summary>The <c>--urls</c> list as endpoints (address null = localhost, both loopbacks), or an error naming the entry.</summary>
    internal static IReadOnlyList<(IPAddress? Address, int Port)> PlainEndPoints(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
        {
            return [];
        }

        var result = new List<(IPAddress?, int)>();
        foreach (var text in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(text);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"--urls entry '{text}' is not an address such as http://127.0.0.1:8080.", ex);
            }

            if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase) || address.IsUnixPipe)
            {
                throw new InvalidOperationException(
                    $"--urls entry '{text}': only plain http:// addresses; HTTPS is the node's listener on {PhoneServicesOptions.Section}:Port.");
            }

            if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                // Kestrel cannot give both loopbacks one dynamic port; port 0 means IPv4 loopback.
                result.Add((address.Port == 0 ? IPAddress.Loopback : null, address.Port));
                continue;
            }

            var ip = address.Host is "*" or "+" or "0.0.0.0" ? IPAddress.Any
                : address.Host is "[::]" ? IPAddress.IPv6Any
                : IPAddress.TryParse(address.Host.Trim('[', ']'), out var parsed) ? parsed
                : throw new InvalidOperationException(
                    $"--urls entry '{text}': the host must be an IP address, localhost or *, not '{address.Host}'.");
            result.Add((ip, address.Port));
        }

        return result;
    }
}
