using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Wire.Tvs;

namespace SbdServer.Phone.Tvs;

/// <summary>
/// A phone's side of TVS: TLS to the server (optionally pinned to the TVS certificate the phone's ITL holds), then
/// VERIFY and QUERY requests, one at a time, on the same connection.
/// </summary>
public sealed class TvsClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly TimeSpan _timeout;
    private uint _sessionId;

    private TvsClient(TcpClient tcp, SslStream tls, TimeSpan timeout, byte[] serverCertificate)
    {
        _tcp = tcp;
        _tls = tls;
        _timeout = timeout;
        ServerCertificate = serverCertificate;
        _sessionId = (uint)RandomNumberGenerator.GetInt32(1, 1 << 24);
    }

    /// <summary>DER of the certificate the server presented.</summary>
    public ReadOnlyMemory<byte> ServerCertificate { get; }

    /// <summary>The negotiated TLS version and suite, e.g. "Tls12 TLS_RSA_WITH_AES_256_CBC_SHA".</summary>
    public string NegotiatedTls => $"{_tls.SslProtocol} {_tls.NegotiatedCipherSuite}";

    public static async Task<TvsClient> ConnectAsync(
        string host, int port, TvsClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var tcp = options.LocalAddress is { } local
            ? new TcpClient(local.AddressFamily) { NoDelay = true }
            : new TcpClient { NoDelay = true };
        SslStream? tls = null;
        try
        {
            if (options.LocalAddress is { } from)
            {
                tcp.Client.Bind(new System.Net.IPEndPoint(from, 0));
            }

            await tcp.ConnectAsync(host, port, timeout.Token);
            byte[]? presented = null;
            tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    EnabledSslProtocols = options.Protocols ?? default,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

                    // Phones do not validate the TVS chain or name; they pin the certificate from the ITL.
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        presented = certificate?.GetRawCertData();
                        return presented is not null;
                    },
                },
                timeout.Token);

            if (presented is null)
            {
                throw new TvsClientException("The TVS server presented no certificate.");
            }

            CheckPin(presented, options);
            var client = new TvsClient(tcp, tls, options.Timeout, presented);
            tls = null;
            return client;
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TvsClientException($"TVS {host}:{port}: {ex.Message}", ex);
        }
        finally
        {
            if (tls is not null)
            {
                await tls.DisposeAsync();
                tcp.Dispose();
            }
        }
    }

    /// <summary>VERIFY: does TVS trust this certificate, and for which roles?</summary>
    public Task<TvsResponse> VerifyAsync(string deviceName, ReadOnlyMemory<byte> certificateDer, CancellationToken cancellationToken) =>
        ExchangeAsync(new TvsVerifyRequest(NextSessionId(), deviceName, certificateDer), cancellationToken);

    /// <summary>QUERY: the certificate with this issuer and serial (subject is informational for CUCM).</summary>
    public Task<TvsResponse> QueryAsync(
        string deviceName, string? subjectName, string issuerName, ReadOnlyMemory<byte> serialNumber, CancellationToken cancellationToken) =>
        ExchangeAsync(new TvsQueryRequest(NextSessionId(), deviceName, subjectName, issuerName, serialNumber), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }

    private static void CheckPin(byte[] presented, TvsClientOptions options)
    {
        if (options.ExpectedServerCertificate is { } expected && !expected.Span.SequenceEqual(presented))
        {
            throw new TvsClientException(
                $"TVS server certificate SHA-256 {Convert.ToHexStringLower(SHA256.HashData(presented))} is not the expected "
                + $"{Convert.ToHexStringLower(SHA256.HashData(expected.Span))}.");
        }

        if (options.ExpectedServerCertificateHash is { } hash)
        {
            var actual = hash.Length switch
            {
                20 => SHA1.HashData(presented),
                32 => SHA256.HashData(presented),
                _ => throw new ArgumentException("The expected hash must be SHA-1 (20 bytes) or SHA-256 (32 bytes)."),
            };
            if (!CryptographicOperations.FixedTimeEquals(actual, hash.Span))
            {
                throw new TvsClientException(
                    $"TVS server certificate hash {Convert.ToHexStringLower(actual)} is not the expected {Convert.ToHexStringLower(hash.Span)}.");
            }
        }
    }

    private uint NextSessionId() => Interlocked.Increment(ref _sessionId);

    private async Task<TvsResponse> ExchangeAsync(TvsRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await _tls.WriteAsync(TvsCodec.Write(request), timeout.Token);
            var head = new byte[TvsHeader.Size];
            await _tls.ReadExactlyAsync(head, timeout.Token);
            TvsHeader.TryRead(head, out var header);
            var body = new byte[header.BodyLength];
            await _tls.ReadExactlyAsync(body, timeout.Token);
            var response = TvsCodec.ReadResponse(header, body);
            var expected = TvsResponse.ResponseCommandFor(request.Command);
            if (response.Command != expected || response.SessionId != request.SessionId)
            {
                throw new TvsClientException(
                    $"TVS answered command {(byte)response.Command} session {response.SessionId} to command "
                    + $"{(byte)request.Command} session {request.SessionId}.");
            }

            return response;
        }
        catch (Exception ex) when (ex is IOException or TvsFormatException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TvsClientException($"TVS exchange failed: {ex.Message}", ex);
        }
    }
}
