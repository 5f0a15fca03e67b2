using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SbdServer.Scenarios.Tests;

/// <summary>
/// A third-party HTTPS application server (scenario 6): a self-signed certificate no trust store of the cluster
/// holds, answering every request with 200. Listens on a free port of <paramref name="address"/>.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public AppServer(string address)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=apps.lab.example, O=Third Party", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        // SslStream on Linux needs the key in a loaded PKCS#12, not an ephemeral one.
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        _listener = new TcpListener(IPAddress.Parse(address), 0);
        _listener.Start();
        Url = $"https://{address}:{((IPEndPoint)_listener.LocalEndpoint).Port}/app/menu.xml";
        _loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    public string CertificatePem => _certificate.ExportCertificatePem();

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
            // Stopped.
        }

        _certificate.Dispose();
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

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                var buffer = new byte[4096];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await tls.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return; // a handshake-only connection (the phone looking at the certificate)
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 7\r\nConnection: close\r\n\r\n<menu/>"u8.ToArray(), _stop.Token);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                // The client went away or refused the certificate: nothing to serve.
            }
        }
    }
}
