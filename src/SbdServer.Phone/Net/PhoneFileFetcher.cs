using System.Net;
using System.Net.Sockets;
using SbdServer.Wire.Tlv;

namespace SbdServer.Phone.Net;

/// <summary>
/// Fetches the boot files from the TFTP server: HTTP on port 6970 first, as 78xx/88xx phones and newer firmware do,
/// and TFTP once HTTP cannot be reached (cucm-reference.md 1.7 "HTTP first"); or TFTP only. One instance per boot:
/// after HTTP failed once the rest of the boot goes over TFTP, as a phone does not retry HTTP per file.
/// </summary>
public sealed class PhoneFileFetcher(IPEndPoint tftpServer, int? httpPort, HttpClient? http, TftpFileClient tftp)
{
    private bool _httpDown = httpPort is null || http is null;

    /// <summary>Why HTTP was given up in this boot, when it was.</summary>
    public string? HttpFailure { get; private set; }

    public async Task<FetchResult> GetAsync(string fileName, CancellationToken cancellationToken)
    {
        if (!_httpDown)
        {
            try
            {
                return await GetHttpAsync(fileName, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException
                or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                _httpDown = true;
                HttpFailure = e is OperationCanceledException ? "timed out" : e.Message;
            }
        }

        return await tftp.GetAsync(tftpServer, fileName, cancellationToken);
    }

    private async Task<FetchResult> GetHttpAsync(string fileName, CancellationToken cancellationToken)
    {
        var host = tftpServer.Address.ToString();
        if (tftpServer.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            host = "[" + host + "]";
        }

        var uri = new Uri($"http://{host}:{httpPort}/{Uri.EscapeDataString(fileName)}");
        using var response = await http!.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return FetchResult.NotFound(FetchTransport.Http);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} for {fileName}");
        }

        if (response.Content.Headers.ContentLength > WireLimits.MaxFileBytes)
        {
            throw new PhoneNetworkException($"HTTP {uri}: {response.Content.Headers.ContentLength} bytes is over the phone's limit.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var copy = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (copy.Length + read > WireLimits.MaxFileBytes)
            {
                throw new PhoneNetworkException($"HTTP {uri}: over the phone's limit of {WireLimits.MaxFileBytes} bytes.");
            }

            copy.Write(buffer, 0, read);
        }

        return FetchResult.Found(copy.ToArray(), FetchTransport.Http);
    }

    /// <summary>An HttpClient suitable for many phones at once (no proxy, short timeouts, pooled connections).</summary>
    /// <param name="localAddress">Connect from this address (one phone's own client); null lets the system choose.</param>
    public static HttpClient CreateHttpClient(int maxConnectionsPerServer = 1024, IPAddress? localAddress = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(3),
            MaxConnectionsPerServer = maxConnectionsPerServer,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (localAddress is not null)
        {
            handler.ConnectCallback = (context, ct) => ConnectFromAsync(localAddress, context.DnsEndPoint, ct);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>A TCP connection from <paramref name="localAddress"/> to <paramref name="target"/> (an address or a name).</summary>
    internal static async ValueTask<Stream> ConnectFromAsync(IPAddress localAddress, DnsEndPoint target, CancellationToken cancellationToken)
    {
        var remote = IPAddress.TryParse(target.Host.Trim('[', ']'), out var address)
            ? address
            : (await Dns.GetHostAddressesAsync(target.Host, localAddress.AddressFamily, cancellationToken)).FirstOrDefault()
                ?? throw new HttpRequestException($"{target.Host} has no address of the phone's family ({localAddress}).");
        var socket = new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(localAddress, 0));
            await socket.ConnectAsync(new IPEndPoint(remote, target.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new HttpRequestException($"connect from {localAddress} to {target.Host}:{target.Port}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
