using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Xunit;

namespace SbdServer.Testing;

/// <summary>
/// One TLS connection sending HTTP/1.1 requests by hand, so a test controls connection reuse and versions and sees the
/// certificate presented (accepted whatever it is: like a phone, trust is TVS's decision).
/// </summary>
public sealed class RawHttpsConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;

    private RawHttpsConnection(TcpClient tcp, SslStream tls, byte[] certificate)
    {
        _tcp = tcp;
        _tls = tls;
        Certificate = certificate;
    }

    public byte[] Certificate { get; }

    public SslProtocols Protocol => _tls.SslProtocol;

    public static async Task<RawHttpsConnection> ConnectAsync(int port, SslProtocols protocols = SslProtocols.None)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        var tls = new SslStream(tcp.GetStream());
        byte[]? presented = null;
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "cucm-pub.lab.example",
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate?.GetRawCertData();
                    return presented is not null;
                },
            }, cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            tcp.Dispose();
            throw;
        }

        return new RawHttpsConnection(tcp, tls, presented!);
    }

    /// <summary>Sends a GET and returns status code and body (reads exactly Content-Length bytes).</summary>
    public async Task<(int Status, string Body)> GetAsync(string pathAndQuery)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: cucm-pub.lab.example\r\n\r\n";
        await _tls.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(buffer))
        {
            if (await _tls.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("Connection closed inside the response headers.");
            }

            buffer.Add(one[0]);
        }

        var head = Encoding.ASCII.GetString([.. buffer]);
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var lengthLine = head.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[length];
        await _tls.ReadExactlyAsync(body, cancellationToken);
        return (status, Encoding.UTF8.GetString(body));
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }

    private static bool EndsWithBlankLine(List<byte> buffer) =>
        buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n';
}
