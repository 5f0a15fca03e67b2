using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using SbdServer.Wire.Tvs;
using Xunit;

namespace SbdServer.Tvs.Tests.Support;

/// <summary>A TLS connection that sends arbitrary bytes and reads raw answers, to play a broken or slow phone.</summary>
internal sealed class RawTvsConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private RawTvsConnection(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        Tls = tls;
    }

    public SslStream Tls { get; }

    public byte[] ServerCertificate { get; private set; } = [];

    /// <param name="receiveBufferSize">Set small to play a phone that reads slowly (a small TCP window).</param>
    public static async Task<RawTvsConnection> OpenAsync(
        int port, SslProtocols protocols = SslProtocols.None, int? receiveBufferSize = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            tcp.ReceiveBufferSize = size;
        }

        await tcp.ConnectAsync("127.0.0.1", port);
        var tls = new SslStream(tcp.GetStream());
        var connection = new RawTvsConnection(tcp, tls);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "tvs",
            EnabledSslProtocols = protocols,
#pragma warning disable CA5359 // Tests compare the presented certificate themselves (ServerCertificate).
            RemoteCertificateValidationCallback = (_, c, _, _) =>
            {
                connection.ServerCertificate = c!.GetRawCertData();
                return true;
            },
#pragma warning restore CA5359
        });
        return connection;
    }

    public async Task SendAsync(byte[] bytes)
    {
        await Tls.WriteAsync(bytes);
        await Tls.FlushAsync();
    }

    /// <summary>Reads one whole response.</summary>
    public async Task<(TvsHeader Header, byte[] Raw, TvsResponse Response)> ReadResponseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = new byte[TvsHeader.Size];
        await Tls.ReadExactlyAsync(head, timeout.Token);
        Assert.True(TvsHeader.TryRead(head, out var header));
        var body = new byte[header.BodyLength];
        await Tls.ReadExactlyAsync(body, timeout.Token);
        return (header, [.. head, .. body], TvsCodec.ReadResponse(header, body));
    }

    /// <summary>Bytes received until the server closes (or -1 when it did not close within the timeout).</summary>
    public async Task<int> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var total = 0;
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await Tls.ReadAsync(buffer, cts.Token);
                if (n == 0)
                {
                    return total;
                }

                total += n;
            }
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
        catch (IOException)
        {
            return total;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Tls.DisposeAsync();
        _tcp.Dispose();
    }
}
