using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SbdServer.Phone.Config;
using SbdServer.Phone.Net;
using SbdServer.Wire.Itl;

namespace SbdServer.Phone.Registration;

/// <summary>
/// A phone with an authenticated or encrypted security profile registering over SIP/TLS (cucm-reference scenario
/// 20): it connects to its CallManager group's members in priority order and accepts a CallManager only when the
/// certificate it presents is in the installed CTL as CCM or CCM+TFTP. The ITL and TVS play no part: after a
/// CallManager regeneration without a CTL update the phone's trust lists and config still verify, but no TLS
/// connection to the regenerated CallManager succeeds until the phone holds an updated CTL.
/// </summary>
internal sealed class SecureRegistration(EmulatedPhone phone, PhoneState state)
{
    private const int MaxResponseBytes = 8 * 1024;

    private readonly List<string> _log = [];

    private PhoneOptions Options => phone.Options;

    public async Task<PhoneRegisterResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = await AttemptAsync(cancellationToken);
        state.AddMessage(result.Status);
        state.Data.Status = result.Status;
        state.Save();
        return result;
    }

    private async Task<PhoneRegisterResult> AttemptAsync(CancellationToken cancellationToken)
    {
        if (state.ReadConfig() is not { } bytes)
        {
            return Done(RegisterOutcome.Failed, "Registration failed: no configuration (boot the phone first)");
        }

        PhoneConfigFile config;
        try
        {
            config = PhoneConfigFile.Parse(bytes);
        }
        catch (FormatException e)
        {
            _log.Add($"SIP: configuration: {e.Message}");
            return Done(RegisterOutcome.Failed, "Registration failed: configuration file error");
        }

        if (config.DeviceSecurityMode == 1)
        {
            _log.Add("SIP: deviceSecurityMode 1 (non-secure): the phone would register over TCP 5060 without TLS");
            return Done(RegisterOutcome.Failed, "Registration not attempted: non-secure profile (only SIP over TLS is emulated)");
        }

        var ctl = EmulatedPhone.TryParse(state.ReadCtl());
        if (ctl is null)
        {
            _log.Add($"SECD: deviceSecurityMode {config.DeviceSecurityMode} needs a CTL to check CallManager's certificate: none installed");
            return Done(RegisterOutcome.TrustFailed, "Registration failed: no CTL");
        }

        if (config.Members.Count == 0)
        {
            return Done(RegisterOutcome.Failed, "Registration failed: the configuration names no CallManager");
        }

        var trustFailed = false;
        (int Code, string Reason)? refused = null;
        foreach (var member in config.Members)
        {
            var attempt = await TryMemberAsync(member, ctl, cancellationToken);
            switch (attempt)
            {
                case { Trusted: false }:
                    trustFailed = true;
                    break;
                case { Code: 200 }:
                    return Done(RegisterOutcome.Registered, $"Registered to {member.Name} (TLS)", member.Name, 200);
                case { Code: { } code }:
                    refused = (code, attempt.Reason!);
                    break;
            }
        }

        return trustFailed
            ? Done(RegisterOutcome.TrustFailed, PhoneRegisterResult.TrustFailedStatus, sipStatus: refused?.Code)
            : refused is { } r
                ? Done(RegisterOutcome.Failed, $"Registration rejected: {r.Code} {r.Reason}", sipStatus: r.Code)
                : Done(RegisterOutcome.Failed, "Registration failed: no CallManager reachable");
    }

    private PhoneRegisterResult Done(RegisterOutcome outcome, string status, string? callManager = null, int? sipStatus = null)
    {
        _log.Add("SIP: " + status);
        return new PhoneRegisterResult(outcome, status, callManager, sipStatus, _log);
    }

    private async Task<Attempt> TryMemberAsync(CallManagerMember member, TrustListFile ctl, CancellationToken cancellationToken)
    {
        var where = $"{member.Name} ({member.Host}:{member.SecuredSipPort})";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.TvsTimeout);
        byte[]? presented = null;
        try
        {
            var endpoint = await Options.Resolver.ResolveAsync(member.Host, member.SecuredSipPort, timeout.Token);
            using var tcp = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
            if (Options.SourceAddress is { } local)
            {
                tcp.Client.Bind(new IPEndPoint(local, 0));
            }

            await tcp.ConnectAsync(endpoint, timeout.Token);
            await using var tls = new SslStream(tcp.GetStream());
            using var own = state.LoadDeviceCertificate();
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = member.Host,
                    EnabledSslProtocols = EmulatedPhone.TlsProtocols(phone.Model),
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    ClientCertificates = own is null ? null : [own],

                    // A phone presents its LSC (else MIC) whatever CA names CallManager's request lists.
                    LocalCertificateSelectionCallback = own is null ? null : (_, _, _, _, _) => own,

                    // The phone's decision, not a CA chain's: CallManager must be in the CTL.
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        presented = certificate?.GetRawCertData();
                        return presented is not null && InCtl(ctl, presented);
                    },
                }, timeout.Token);
            }
            catch (AuthenticationException) when (presented is not null && !InCtl(ctl, presented))
            {
                using var parsed = X509CertificateLoader.LoadCertificate(presented);
                _log.Add($"SECD: TLS {where}: CallManager certificate {parsed.Subject} (SHA1 {Convert.ToHexStringLower(SHA1.HashData(presented))}) " +
                    "not in CTL: handshake aborted");
                return new Attempt(false, null, null);
            }

            _log.Add($"SECD: TLS {where}: CallManager certificate found in CTL ({tls.SslProtocol})");
            _log.Add(own is null
                ? $"SECD: TLS {where}: no LSC or MIC to present"
                : tls.IsMutuallyAuthenticated
                    ? $"SECD: TLS {where}: presented its {(state.HasLsc ? "LSC" : "MIC")} {own.Subject}"
                    : $"SECD: TLS {where}: CallManager did not ask for the phone's certificate");
            var localEnd = (IPEndPoint)tcp.Client.LocalEndPoint!;
            await tls.WriteAsync(Register(member, localEnd), timeout.Token);
            var (code, reason) = await ReadStatusAsync(tls, timeout.Token);
            _log.Add($"SIP: REGISTER {member.Name} -> {code} {reason}");
            return new Attempt(true, code, reason);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or PhoneNetworkException or FormatException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _log.Add($"SIP: {where}: {(e is OperationCanceledException ? "timed out" : e.Message)}");
            return new Attempt(true, null, null);
        }
    }

    private static bool InCtl(TrustListFile ctl, byte[] certificate) =>
        ctl.Records.Any(r => r.Role is TrustRole.Ccm or TrustRole.CcmTftp
            && r.Certificate is { } der && der.AsSpan().SequenceEqual(certificate));

    private byte[] Register(CallManagerMember member, IPEndPoint local)
    {
        var device = phone.DeviceName;
        var branch = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var at = local.ToString();
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"REGISTER sip:{member.Host} SIP/2.0\r\n")
            .Append(CultureInfo.InvariantCulture, $"Via: SIP/2.0/TLS {at};branch=z9hG4bK{branch}\r\n")
            .Append(CultureInfo.InvariantCulture, $"From: <sip:{device}@{member.Host}>;tag={tag}\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: <sip:{device}@{member.Host}>\r\n")
            .Append(CultureInfo.InvariantCulture, $"Call-ID: {Guid.NewGuid():N}@{local.Address}\r\n")
            .Append("CSeq: 101 REGISTER\r\n")
            .Append(CultureInfo.InvariantCulture,
                $"Contact: <sip:{device}@{at};transport=tls>;+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-{phone.Mac}>\"\r\n")
            .Append("Expires: 3600\r\n")
            .Append(CultureInfo.InvariantCulture, $"User-Agent: Cisco-CP{phone.Model.Name}\r\n")
            .Append("Content-Length: 0\r\n\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static async Task<(int Code, string Reason)> ReadStatusAsync(SslStream tls, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxResponseBytes];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                throw new FormatException("the SIP response's headers exceed 8 KB");
            }

            var read = await tls.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken);
            if (read == 0)
            {
                throw new IOException("CallManager closed the connection without a SIP response");
            }

            length += read;
            var text = Encoding.UTF8.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            var status = text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ', 3);
            if (status.Length < 2 || status[0] != "SIP/2.0" || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                throw new FormatException("CallManager's answer is not a SIP response");
            }

            return (code, status.Length == 3 ? status[2] : "");
        }
    }

    private sealed record Attempt(bool Trusted, int? Code, string? Reason);
}
