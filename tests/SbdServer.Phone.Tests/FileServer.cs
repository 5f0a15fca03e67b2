using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SbdServer.Phone.Tests;

/// <summary>
/// A minimal HTTP/1.1 file server on a loopback port for trust-decision tests: it serves the bytes a test puts in
/// <see cref="Files"/> (404 otherwise) and closes each connection, so the phone under test talks to a real socket
/// while the test decides byte for byte what a "TFTP server" hands out.
/// </summary>
internal sealed class FileServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FileServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Requested { get; } = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0 || head.Length > 16_384)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var path = Uri.UnescapeDataString(head.ToString().Split(' ')[1].TrimStart('/'));
                Requested.Enqueue(path);
                var found = Files.TryGetValue(path, out var bytes);
                var body = found ? bytes! : "not found"u8.ToArray();
                var response = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(response, _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // the phone went away; nothing to serve
            }
        }
    }
}
