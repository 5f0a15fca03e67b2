using System.Net.Security;
using System.Net.Sockets;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SbdServer.Wire.Capf;

namespace SbdServer.Phone.Capf;

/// <summary>
/// The phone's side of one CAPF session (formats.md section 6), with .NET crypto only: it checks the server's TLS
/// certificate against the CAPF record of its trust list, answers AUTH_REQUEST with its name, authentication string
/// and (when it holds one) its LSC or MIC with signatures over <c>name + NUL + DER</c>, then does what the server
/// asks: generate a key and store the LSC, hand over its certificate, or delete its LSC.
/// </summary>
public static class CapfClient
{
    public static async Task<CapfClientResult> RunAsync(
        string host, int port, CapfEnrollment phone, CapfClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phone);
        ArgumentNullException.ThrowIfNull(options);
        var log = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var tcp = new TcpClient { NoDelay = true };
        X509Certificate2? server = null;
        try
        {
            await tcp.ConnectAsync(host, port, timeout.Token);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    EnabledSslProtocols = options.Protocols ?? System.Security.Authentication.SslProtocols.None,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                        certificate is not null && Pinned(certificate.GetRawCertData(), options),
                },
                timeout.Token);
            server = X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
            log.Add($"CAPF: connected to {host}:{port}, server certificate {server.Subject}");
            return await SessionAsync(tls, phone, options, server, log, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CapfClientException($"CAPF {host}:{port}: no answer within {options.Timeout.TotalSeconds:0.#} s.");
        }
        catch (System.Security.Authentication.AuthenticationException ex)
        {
            throw new CapfClientException(
                $"CAPF {host}:{port}: TLS failed; the server certificate does not match the CAPF record of the trust list ({ex.Message}).", ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            throw new CapfClientException($"CAPF {host}:{port}: {ex.Message}", ex);
        }
        catch (CapfFormatException ex)
        {
            throw new CapfClientException($"CAPF {host}:{port}: the server broke the protocol: {ex.Message}", ex);
        }
        finally
        {
            server?.Dispose();
        }
    }

    /// <summary>Signature over the auth payload as a phone makes it: PKCS#1 type 1 around the bare digest (RSA), DER ECDSA (EC).</summary>
    public static byte[] Sign(X509Certificate2 certificate, string deviceName, HashAlgorithmName hash)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var der = certificate.RawData;
        var payload = new byte[deviceName.Length + 1 + der.Length];
        Encoding.ASCII.GetBytes(deviceName, payload);
        der.CopyTo(payload.AsSpan(deviceName.Length + 1));
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is not null)
        {
            var digest = hash == HashAlgorithmName.SHA512 ? SHA512.HashData(payload)
                : hash == HashAlgorithmName.SHA256 ? SHA256.HashData(payload)
#pragma warning disable CA5350 // SHA-1 SIGNED DATA is what the protocol's first signature element carries.
                : SHA1.HashData(payload);
#pragma warning restore CA5350
            var parameters = rsa.ExportParameters(includePrivateParameters: true);
            try
            {
                var size = parameters.Modulus!.Length;
                var block = new byte[size];
                block[1] = 0x01;
                block.AsSpan(2, size - 3 - digest.Length).Fill(0xFF);
                digest.CopyTo(block.AsSpan(size - digest.Length));
                var n = new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true);
                var d = new BigInteger(parameters.D, isUnsigned: true, isBigEndian: true);
                var s = BigInteger.ModPow(new BigInteger(block, isUnsigned: true, isBigEndian: true), d, n);
                var signature = new byte[size];
                s.TryWriteBytes(signature.AsSpan(size - s.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
                return signature;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(parameters.D);
                CryptographicOperations.ZeroMemory(parameters.P);
                CryptographicOperations.ZeroMemory(parameters.Q);
            }
        }

        using var ec = certificate.GetECDsaPrivateKey()
            ?? throw new CapfClientException("The phone certificate has no RSA or EC private key to sign with.");
        return ec.SignData(payload, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static async Task<CapfClientResult> SessionAsync(
        SslStream tls, CapfEnrollment phone, CapfClientOptions options, X509Certificate2 server, List<string> log, CancellationToken ct)
    {
        var request = await ReadAsync(tls, null, ct);
        if (request.Command != CapfCommand.AuthRequest)
        {
            throw new CapfFormatException($"the server opened with command {(byte)request.Command}, not AUTH_REQUEST.");
        }

        var sessionId = request.SessionId;
        var version = request.GetByte(CapfElementTag.Version) ?? 0;
        if (version != CapfCodec.ProtocolVersion)
        {
            throw new CapfFormatException($"the server speaks CAPF version {version}, the phone {CapfCodec.ProtocolVersion}.");
        }

        byte[] auth;
        if (phone.Certificate is { } own)
        {
            var sha1 = Sign(own, phone.DeviceName, HashAlgorithmName.SHA1);
            var sha512 = Sign(own, phone.DeviceName, HashAlgorithmName.SHA512);
            auth = CapfCodec.AuthResponse(sessionId, phone.DeviceName, phone.AuthString, own.RawData, sha1, new CapfSha2SignedData(CapfDigest.Sha512, sha512));
            log.Add($"CAPF: authenticating as {phone.DeviceName} with {(phone.HasLsc ? "LSC" : "MIC")} {own.Subject}");
        }
        else
        {
            auth = CapfCodec.AuthResponse(sessionId, phone.DeviceName, phone.AuthString);
            log.Add($"CAPF: authenticating as {phone.DeviceName} {(phone.AuthString.Length == 0 ? "with a null string" : "with the authentication string")}");
        }

        await tls.WriteAsync(auth, ct);
        var message = await ReadAsync(tls, sessionId, ct);
        switch (message.Command)
        {
            case CapfCommand.KeyGenerateRequest:
                return await InstallAsync(tls, CapfCodec.ReadKeyGenerateRequest(message), phone, options, server, log, ct);
            case CapfCommand.FetchCertificateRequest:
                await tls.WriteAsync(CapfCodec.FetchCertificateResponse(sessionId, phone.Certificate?.RawData ?? []), ct);
                log.Add(phone.Certificate is null ? "CAPF: asked for a certificate, the phone has none" : "CAPF: certificate sent (Troubleshoot)");
                return await EndAsync(tls, sessionId, phone.Certificate is null ? CapfClientOutcome.Refused : CapfClientOutcome.Fetched, null, null, log, ct);
            case CapfCommand.DeleteCertificateRequest:
                await tls.WriteAsync(CapfCodec.DeleteCertificateResponse(
                    sessionId, phone.HasLsc ? CapfReason.UpdateCertificate : CapfReason.InvalidElement), ct);
                log.Add(phone.HasLsc ? "CAPF: LSC deleted" : "CAPF: asked to delete an LSC the phone does not have");
                return await EndAsync(tls, sessionId, phone.HasLsc ? CapfClientOutcome.Deleted : CapfClientOutcome.NoOperation, null, null, log, ct);
            case CapfCommand.EndSession:
                return Ended(message, CapfClientOutcome.NoOperation, null, null, log);
            default:
                throw new CapfFormatException($"unexpected command {(byte)message.Command} after AUTH_RESPONSE.");
        }
    }

    private static async Task<CapfClientResult> InstallAsync(
        SslStream tls, CapfKeyGenerateRequest request, CapfEnrollment phone, CapfClientOptions options, X509Certificate2 server,
        List<string> log, CancellationToken ct)
    {
        var sessionId = request.SessionId;
        await tls.WriteAsync(CapfCodec.RequestInProgress(sessionId), ct);
        using var key = options.KeyGenerator?.Invoke(request) ?? Generate(request);
        var spki = key.ExportSubjectPublicKeyInfo();
        log.Add($"CAPF: generated {(request.KeyType == CapfKeyType.Rsa ? $"RSA-{request.KeySize}" : $"EC {request.Curve}")} key");
        await tls.WriteAsync(CapfCodec.KeyGenerateResponse(sessionId, spki), ct);
        var store = await ReadAsync(tls, sessionId, ct);
        if (store.Command == CapfCommand.EndSession)
        {
            return Ended(store, CapfClientOutcome.Refused, null, null, log);
        }

        if (store.Command != CapfCommand.StoreCertificateRequest || store.Get(CapfElementTag.Certificate) is not { } wrapped)
        {
            throw new CapfFormatException($"expected STORE_CERTIFICATE_REQUEST with a certificate, got command {(byte)store.Command}.");
        }

        var der = CapfCodec.UnwrapCertificate(wrapped).ToArray();
        using var lsc = X509CertificateLoader.LoadCertificate(der);
        if (!lsc.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(spki))
        {
            throw new CapfClientException("CAPF sent an LSC for another key than the one the phone generated.");
        }

        if (!IssuedBy(lsc, server))
        {
            throw new CapfClientException($"The LSC is not signed by the CAPF certificate the server presented ({lsc.Issuer}).");
        }

        var pem = new StringBuilder()
            .Append(PemEncoding.Write("CERTIFICATE", der)).Append('\n')
            .Append(PemEncoding.Write("PRIVATE KEY", key.ExportPkcs8PrivateKey())).Append('\n')
            .ToString();
        await tls.WriteAsync(CapfCodec.StoreCertificateResponse(sessionId, CapfReason.UpdateCertificate), ct);
        log.Add($"CAPF: LSC stored: {lsc.Subject}, issuer {lsc.Issuer}, serial {lsc.SerialNumber}");
        return await EndAsync(tls, sessionId, CapfClientOutcome.Installed, pem, der, log, ct);
    }

    private static AsymmetricAlgorithm Generate(CapfKeyGenerateRequest request) => request.KeyType switch
    {
        CapfKeyType.Rsa when request.KeySize is >= 512 and <= 4096 => RSA.Create(request.KeySize.Value),
        CapfKeyType.Ec => ECDsa.Create(request.Curve switch
        {
            CapfCurve.P384 => ECCurve.NamedCurves.nistP384,
            CapfCurve.P521 => ECCurve.NamedCurves.nistP521,
            _ => ECCurve.NamedCurves.nistP256,
        }),
        _ => throw new CapfClientException($"CAPF asked for an unsupported key (RSA-{request.KeySize})."),
    };

    private static bool IssuedBy(X509Certificate2 lsc, X509Certificate2 issuer)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(issuer);
        var ok = chain.Build(lsc);
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }

        return ok;
    }

    private static async Task<CapfClientResult> EndAsync(
        SslStream tls, uint sessionId, CapfClientOutcome outcome, string? pem, byte[]? der, List<string> log, CancellationToken ct)
    {
        var end = await ReadAsync(tls, sessionId, ct);
        if (end.Command != CapfCommand.EndSession)
        {
            throw new CapfFormatException($"expected END_SESSION, got command {(byte)end.Command}.");
        }

        return Ended(end, outcome, pem, der, log);
    }

    private static CapfClientResult Ended(CapfMessage end, CapfClientOutcome success, string? pem, byte[]? der, List<string> log)
    {
        var reason = (byte?)end.Reason ?? 0;
        var outcome = reason switch
        {
            (byte)CapfReason.UnknownDevice => CapfClientOutcome.UnknownDevice,
            (byte)CapfReason.InvalidElement => CapfClientOutcome.Refused,
            _ => success,
        };
        log.Add($"CAPF: END_SESSION reason {reason}: {outcome}");
        return new CapfClientResult(outcome, end.SessionId, reason, outcome == success ? pem : null, outcome == success ? der : null, log);
    }

    private static async Task<CapfMessage> ReadAsync(SslStream tls, uint? sessionId, CancellationToken ct)
    {
        var header = new byte[CapfHeader.Size];
        if (await tls.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct) < header.Length)
        {
            throw new CapfClientException("The CAPF server closed the connection without an answer.");
        }

        CapfHeader.TryRead(header, out var parsed);
        if (sessionId is { } expected && parsed.SessionId != expected)
        {
            throw new CapfFormatException($"session id {parsed.SessionId}, the session is {expected}.");
        }

        var body = new byte[parsed.BodyLength];
        if (await tls.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, ct) < body.Length)
        {
            throw new CapfClientException("The CAPF server closed the connection mid-message.");
        }

        return CapfCodec.Read(parsed, body);
    }

    private static bool Pinned(byte[] presented, CapfClientOptions options)
    {
        if (options.ExpectedServerCertificateHash is null && options.AcceptedServerCertificateHashes.Count == 0)
        {
            return true;
        }

#pragma warning disable CA5350 // The ITL's CERTHASH is SHA-1; comparing against it is the phone's check.
        var sha1 = SHA1.HashData(presented);
#pragma warning restore CA5350
        var sha256 = SHA256.HashData(presented);
        var match = false;
        foreach (var expected in options.AcceptedServerCertificateHashes.Append(options.ExpectedServerCertificateHash ?? ReadOnlyMemory<byte>.Empty))
        {
            match |= expected.Length == 20 ? CryptographicOperations.FixedTimeEquals(sha1, expected.Span)
                : expected.Length == 32 && CryptographicOperations.FixedTimeEquals(sha256, expected.Span);
        }

        return match;
    }
}
