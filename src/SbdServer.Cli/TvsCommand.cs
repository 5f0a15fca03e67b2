using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Core.Tvs;
using SbdServer.Phone.Tvs;
using SbdServer.Wire.Tvs;
using WireCommand = SbdServer.Wire.Tvs.TvsCommand;

namespace SbdServer.Cli;

/// <summary>
/// <c>sbd tvs query</c>: ask a TVS server what a phone would ask (VERIFY a certificate, or QUERY by issuer + serial)
/// and print the answer. Exit code 0 when TVS answers valid, 1 when it answers invalid, 2 on any error.
/// </summary>
internal static class TvsCommand
{
    private const int DefaultPort = 2445;

    public static Command Create()
    {
        var host = new Option<string>("--host")
        {
            Description = "TVS server, HOST or HOST:PORT (default port 2445; IPv6 as [addr]:port).",
            Required = true,
        };
        var tvsCert = new Option<string?>("--tvs-cert")
        {
            Description = "PEM/DER of the TVS certificate the server must present (as the phone's ITL pins it); "
                + "omit only for diagnostics.",
        };
        var device = new Option<string>("--device")
        {
            Description = "Device name sent to TVS.",
            DefaultValueFactory = _ => "CP-7962-SEP0011215A1AE3",
        };
        var subject = new Option<string?>("--subject") { Description = "QUERY: subject DN (CN=..;OU=.. or CN=.., OU=..)." };
        var issuer = new Option<string?>("--issuer") { Description = "QUERY: issuer DN." };
        var serial = new Option<string?>("--serial") { Description = "QUERY: serial number in hex (colons allowed)." };
        var tls10 = new Option<bool>("--tls1") { Description = "Offer TLS 1.0 only (what a 7900-series phone does)." };
        var certificate = new Argument<string?>("CERT")
        {
            Description = "VERIFY: PEM or DER of the certificate to ask about.",
            Arity = ArgumentArity.ZeroOrOne,
        };

        var query = new Command("query", "Ask a TVS server about a certificate (VERIFY) or an issuer + serial (QUERY).")
        {
            host, tvsCert, device, subject, issuer, serial, tls10, certificate,
        };

        query.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var (hostName, port) = ParseHost(parse.GetValue(host)!);
                var options = new TvsClientOptions
                {
                    ExpectedServerCertificate = parse.GetValue(tvsCert) is { } pin ? ReadCertificate(pin) : (ReadOnlyMemory<byte>?)null,
#pragma warning disable SYSLIB0039, CA5397 // TLS 1.0 on purpose: it tests a server's legacy-phone mode.
                    Protocols = parse.GetValue(tls10) ? System.Security.Authentication.SslProtocols.Tls : null,
#pragma warning restore SYSLIB0039, CA5397
                };

                var certificatePath = parse.GetValue(certificate);
                var issuerDn = parse.GetValue(issuer);
                var serialHex = parse.GetValue(serial);
                if ((certificatePath is null) == (issuerDn is null && serialHex is null))
                {
                    return Fail("give either CERT (VERIFY) or --issuer and --serial (QUERY), not both or neither.");
                }

                if (certificatePath is null && (issuerDn is null || serialHex is null))
                {
                    return Fail("QUERY needs both --issuer and --serial.");
                }

                var request = certificatePath is not null ? ReadCertificate(certificatePath) : null;
                var serialBytes = serialHex is null ? null : ParseSerial(serialHex);

                await using var client = await TvsClient.ConnectAsync(hostName, port, options, cancellationToken);
                var presented = client.ServerCertificate.Span;
                Console.WriteLine($"server      {hostName}:{port} ({client.NegotiatedTls})");
                Console.WriteLine($"server cert SHA-256 {Convert.ToHexStringLower(SHA256.HashData(presented))}"
                    + (options.ExpectedServerCertificate is null ? " (not checked)" : " (matches --tvs-cert)"));

                TvsResponse response;
                if (request is not null)
                {
                    Console.WriteLine($"request     VERIFY {parse.GetValue(device)} certificate SHA-256 "
                        + Convert.ToHexStringLower(SHA256.HashData(request)));
                    response = await client.VerifyAsync(parse.GetValue(device)!, request, cancellationToken);
                }
                else
                {
                    Console.WriteLine($"request     QUERY {parse.GetValue(device)} issuer \"{issuerDn}\" serial {Convert.ToHexString(serialBytes!)}");
                    response = await client.QueryAsync(
                        parse.GetValue(device)!, parse.GetValue(subject), issuerDn!, serialBytes!, cancellationToken);
                }

                Print(response);
                return response.Status == TvsStatus.Valid ? 0 : 1;
            }
            catch (Exception ex) when (ex is TvsClientException or IOException or CryptographicException
                or FormatException or ArgumentException or UnauthorizedAccessException)
            {
                return Fail(ex.Message);
            }
        });

        return new Command("tvs", "Talk to a Trust Verification Service (TCP 2445).") { query };
    }

    private static void Print(TvsResponse response)
    {
        Console.WriteLine($"response    {(response.Command == WireCommand.QueryResponse ? "QUERY" : "VERIFY")} session {response.SessionId}");
        Console.WriteLine($"status      {(response.Status == TvsStatus.Valid ? "0 (valid)" : "1 (invalid)")}");
        if (!response.Roles.IsEmpty)
        {
            var names = response.Roles.ToArray()
                .Select(r => $"{TrustRoleNames.Name((TrustRole)r)} ({r.ToString(CultureInfo.InvariantCulture)})");
            Console.WriteLine($"roles       {string.Join(", ", names)}");
        }

        if (response.TtlSeconds is { } ttl)
        {
            Console.WriteLine($"ttl         {ttl.ToString(CultureInfo.InvariantCulture)} s");
        }

        if (!response.Certificate.IsEmpty)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(response.Certificate.Span);
            Console.WriteLine($"certificate subject \"{certificate.Subject}\" issuer \"{certificate.Issuer}\" serial {certificate.SerialNumber}");
            Console.WriteLine($"certificate SHA-256 {Convert.ToHexStringLower(SHA256.HashData(response.Certificate.Span))}");
            Console.WriteLine(certificate.ExportCertificatePem());
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"sbd tvs query: {message.ReplaceLineEndings(" ")}");
        return 2;
    }

    internal static (string Host, int Port) ParseHost(string value)
    {
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException("--host: missing ']' after an IPv6 address.");
            }

            var rest = value[(close + 1)..];
            return (value[1..close], rest.Length == 0 ? DefaultPort : ParsePort(rest.TrimStart(':')));
        }

        var colon = value.LastIndexOf(':');
        return colon < 0 || value.IndexOf(':', StringComparison.Ordinal) != colon
            ? (value, DefaultPort)
            : (value[..colon], ParsePort(value[(colon + 1)..]));
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException($"--host: port '{text}' is not a number from 1 to 65535.");

    private static byte[] ParseSerial(string hex)
    {
        var digits = new string([.. hex.Where(c => c is not (':' or ' '))]);
        if (digits.Length == 0 || digits.Length > 128)
        {
            throw new FormatException("--serial: expected 1 to 64 bytes of hex.");
        }

        return Convert.FromHexString(digits.Length % 2 == 1 ? "0" + digits : digits);
    }

    private static byte[] ReadCertificate(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file.");
        }

        if (info.Length > 1024 * 1024)
        {
            throw new FormatException($"{path}: larger than 1 MiB, not a certificate.");
        }

        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            using var pem = X509Certificate2.CreateFromPem(text);
            return pem.RawData;
        }

        using var der = X509CertificateLoader.LoadCertificate(bytes);
        return der.RawData;
    }
}
