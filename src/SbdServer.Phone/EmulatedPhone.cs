using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SbdServer.Phone.Config;
using SbdServer.Phone.Net;
using SbdServer.Phone.Reporting;
using SbdServer.Phone.Trust;
using SbdServer.Phone.Tvs;
using SbdServer.Wire.EncSgn;
using SbdServer.Wire.Itl;
using SbdServer.Wire.Names;
using SbdServer.Wire.Sgn;
using SbdServer.Wire.Signed;
using SbdServer.Wire.Tlv;
using SbdServer.Wire.Tvs;

namespace SbdServer.Phone;

/// <summary>
/// An emulated Cisco phone over one state directory (<see cref="PhoneState"/>). <see cref="BootAsync"/> does what a
/// phone does at boot (formats.md section 5): CTL, ITL, then the configuration, each new file accepted on first use,
/// or against the installed CTL/ITL, or vouched for by TVS; <see cref="HttpsAsync"/> is a secure phone-service
/// request. Verification uses .NET crypto only. Not thread-safe: one phone boots at a time.
/// </summary>
public sealed class EmulatedPhone
{
    public const string HttpsStatusTrustFailed = "HTTPS cert not trusted";

    private const int TvsPort = 2445;

    private readonly PhoneOptions _options;
    private readonly string _stateDirectory;

    public EmulatedPhone(string stateDirectory, PhoneOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentNullException.ThrowIfNull(options);
        _stateDirectory = stateDirectory;
        _options = options with { Mac = PhoneOptions.NormalizeMac(options.Mac) };
    }

    public string Mac => _options.Mac;

    public string DeviceName => _options.DeviceName;

    public PhoneModel Model => _options.Model;

    public string StateDirectory => _stateDirectory;

    /// <summary>Boots once: fetches and judges CTL, ITL and configuration, updates the state, reports.</summary>
    public async Task<PhoneBootResult> BootAsync(CancellationToken cancellationToken = default)
    {
        if (_options.TftpHost is null)
        {
            throw new InvalidOperationException("PhoneOptions.TftpHost is required to boot.");
        }

        var boot = new Boot(this, PhoneState.Open(_stateDirectory));
        return await boot.RunAsync(cancellationToken);
    }

    /// <summary>The Trust List menu of a state directory.</summary>
    public static TrustListMenu TrustList(string stateDirectory) => TrustListMenu.Of(PhoneState.OpenExisting(stateDirectory));

    /// <summary>Erases the installed CTL and ITL (and the TVS cache) of a state directory.</summary>
    public static void Erase(string stateDirectory) => PhoneState.OpenExisting(stateDirectory).EraseTrustList();

    /// <summary>
    /// A secure phone-service request (directory, authentication URL): the server certificate is looked up in the
    /// CTL, the ITL, the TVS cache, then asked of TVS (VERIFY) and cached for the TTL; only a trusted server gets the
    /// request. Uses the TVS list of the current configuration and the stored TFTP server.
    /// </summary>
    /// <exception cref="PhoneNetworkException">The server cannot be reached or the TLS handshake fails.</exception>
    public async Task<PhoneHttpsResult> HttpsAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"{url}: not an https URL.", nameof(url));
        }

        var state = PhoneState.Open(_stateDirectory);
        var log = new List<string>();
        var endpoint = await _options.Resolver.ResolveAsync(url.IdnHost, url.Port, cancellationToken);
        var presented = await PeekCertificateAsync(endpoint, url.IdnHost, cancellationToken);
        var sha1 = Convert.ToHexStringLower(SHA1.HashData(presented));
        log.Add($"SECD: HTTPS {url.Host}:{url.Port} presents certificate SHA1 {sha1}");

        var ctl = TryParse(state.ReadCtl());
        var itl = TryParse(state.ReadItl());
        var source = HttpsTrustSource.None;
        string? tvsServer = null;
        if (Contains(ctl, presented))
        {
            source = HttpsTrustSource.Ctl;
            log.Add("SECD: HTTPS cert found in CTL");
        }
        else if (Contains(itl, presented))
        {
            source = HttpsTrustSource.Itl;
            log.Add("SECD: HTTPS cert found in ITL");
        }
        else
        {
            log.Add("SECD: HTTPS cert not in CTL");
            var now = _options.Time.GetUtcNow().ToUnixTimeSeconds();
            var cached = state.Data.TvsCache?.FirstOrDefault(e => e.Sha1 == sha1 && e.ExpiresUnix > now);
            log.Add($"SECD: lookupAuthCertTvsCacheEntry: {(cached is null ? "no entry" : "found, expires " + DateTimeOffset.FromUnixTimeSeconds(cached.ExpiresUnix).ToString("u", System.Globalization.CultureInfo.InvariantCulture))}");
            if (cached is not null)
            {
                source = HttpsTrustSource.TvsCache;
            }
            else
            {
                var tvs = new TvsAsker(this, state, ctl, itl, log);
                var answer = await tvs.VerifyAsync(presented, cancellationToken);
                if (answer is not null)
                {
                    source = HttpsTrustSource.Tvs;
                    tvsServer = answer;
                    state.Save();
                }
            }
        }

        if (source == HttpsTrustSource.None)
        {
            log.Add($"SECD: {HttpsStatusTrustFailed}: {url.Host}");
            return new PhoneHttpsResult(false, source, null, null, sha1, log);
        }

        var status = await SendPinnedAsync(url, endpoint, presented, cancellationToken);
        log.Add($"HTTPS: GET {url.AbsolutePath} -> {status}");
        return new PhoneHttpsResult(true, source, tvsServer, status, sha1, log);
    }

    /// <summary>
    /// Registers over SIP/TLS as a phone with an authenticated or encrypted profile does after its boot: CallManager's
    /// certificate must be in the installed CTL (<see cref="Registration.SecureRegistration"/>). Uses the current
    /// configuration's CallManager group.
    /// </summary>
    public Task<Registration.PhoneRegisterResult> RegisterAsync(CancellationToken cancellationToken = default) =>
        new Registration.SecureRegistration(this, PhoneState.Open(_stateDirectory)).RunAsync(cancellationToken);

    internal PhoneOptions Options => _options;

    internal static TrustListFile? TryParse(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return TrustListCodec.Parse(bytes);
        }
        catch (WireFormatException)
        {
            return null; // a damaged file in flash counts as none, as a phone that cannot parse its ITL has none
        }
    }

    private static bool Contains(TrustListFile? list, byte[] certificate)
    {
        if (list is null || list.IsBlank)
        {
            return false;
        }

        var sha1 = SHA1.HashData(certificate);
        return list.Records.Any(r => r.Role is not null
            && ((r.Certificate is { } der && der.AsSpan().SequenceEqual(certificate))
                || (r.CertificateHash is { } hash && hash.AsSpan().SequenceEqual(sha1))));
    }

    private async Task<byte[]> PeekCertificateAsync(System.Net.IPEndPoint endpoint, string host, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.TvsTimeout);
        try
        {
            using var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
            await tcp.ConnectAsync(endpoint, timeout.Token);
            byte[]? presented = null;
            await using var tls = new System.Net.Security.SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = host,
                EnabledSslProtocols = TlsProtocols(_options.Model),
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

                // The phone decides trust from its own lists below, not from a CA chain.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate?.GetRawCertData();
                    return presented is not null;
                },
            }, timeout.Token);
            return presented ?? throw new PhoneNetworkException($"HTTPS {host}: the server presented no certificate.");
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException
            or System.Security.Authentication.AuthenticationException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new PhoneNetworkException($"HTTPS {host}:{endpoint.Port}: {(e is OperationCanceledException ? "timed out" : e.Message)}", e);
        }
    }

    private async Task<int> SendPinnedAsync(Uri url, System.Net.IPEndPoint endpoint, byte[] trusted, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = _options.TvsTimeout,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(endpoint.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (_options.SourceAddress is { } local)
                    {
                        socket.Bind(new System.Net.IPEndPoint(local, 0));
                    }

                    await socket.ConnectAsync(endpoint, ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                EnabledSslProtocols = TlsProtocols(_options.Model),
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

                // Exactly the certificate the phone decided to trust; anything else on a second connection is refused.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(trusted),
            },
        };
        using var client = new HttpClient(handler) { Timeout = _options.TvsTimeout * 2 };
        try
        {
            using var response = await client.GetAsync(url, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new PhoneNetworkException($"HTTPS {url.Host}:{url.Port}: {e.Message}", e);
        }
    }

#pragma warning disable SYSLIB0039, CA5397 // TLS 1.0 on purpose: the 7900 series speaks nothing newer.
    internal static System.Security.Authentication.SslProtocols TlsProtocols(PhoneModel model) =>
        model.Tls10Only ? System.Security.Authentication.SslProtocols.Tls : System.Security.Authentication.SslProtocols.None;
#pragma warning restore SYSLIB0039, CA5397

    /// <summary>Asks the phone's TVS servers, in order, then the TFTP server; each checked against the lists' TVS records.</summary>
    private sealed class TvsAsker(EmulatedPhone phone, PhoneState state, TrustListFile? ctl, TrustListFile? itl, List<string> log)
    {
        public List<string> Answered { get; } = [];

        private IEnumerable<TvsServer> Servers()
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var server in state.TvsServers)
            {
                if (seen.Add(server.ToString()))
                {
                    yield return server;
                }
            }

            var tftp = phone._options.TftpHost ?? (state.Data.TftpServer is { } stored
                ? PhoneResolver.SplitHostPort(stored, 69, "stored TFTP server").Host
                : null);
            if (tftp is not null && seen.Add($"{tftp}:{TvsPort}"))
            {
                yield return new TvsServer(tftp, TvsPort);
            }
        }

        private List<TrustListRecord> TvsRecords() =>
            [.. new[] { ctl, itl }.Where(l => l is not null && !l.IsBlank).SelectMany(l => l!.Records).Where(r => r.Role == TrustRole.Tvs)];

        /// <summary>QUERY for the signer of <paramref name="file"/>; null when a TVS vouched and the signature verified.</summary>
        public async Task<string?> QueryAsync(TrustKind kind, SignedFile file, CancellationToken cancellationToken)
        {
            var header = file.Header;
            var records = TvsRecords();
            if (records.Count == 0)
            {
                return "no TVS record in the trust list";
            }

            var reasons = new List<string>();
            foreach (var server in Servers())
            {
                var (client, reason) = await ConnectAsync(server, records, cancellationToken);
                if (client is null)
                {
                    reasons.Add(reason!);
                    continue;
                }

                await using (client)
                {
                    TvsResponse response;
                    try
                    {
                        log.Add($"SECD: TVS QUERY {server}: subject {header.SignerName} issuer {header.IssuerName} serial {Convert.ToHexString(header.SerialNumber)}");
                        response = await client.QueryAsync(
                            phone.Model.TvsDeviceName(phone.Mac), header.SignerName, header.IssuerName, header.SerialNumber, cancellationToken);
                    }
                    catch (TvsClientException e)
                    {
                        log.Add($"SECD: TVS {server}: {e.Message}");
                        reasons.Add($"{server}: {e.Message}");
                        continue;
                    }

                    if (response.Status != TvsStatus.Valid || response.Certificate.IsEmpty)
                    {
                        log.Add($"SECD: TVS {server}: signer unknown (status {(byte)response.Status})");
                        reasons.Add($"{server}: signer unknown");
                        continue;
                    }

                    var certificate = response.Certificate.ToArray();
                    if (!SignatureCheck.IsSigner(certificate, header))
                    {
                        log.Add($"SECD: TVS {server}: returned a certificate that is not the signer");
                        reasons.Add($"{server}: wrong certificate");
                        continue;
                    }

                    if (!TrustRules.TvsRolesFit(kind, response.Roles.Span))
                    {
                        log.Add($"SECD: TVS {server}: signer roles {{{string.Join(',', response.Roles.ToArray())}}} do not allow signing {kind}");
                        reasons.Add($"{server}: roles do not fit");
                        continue;
                    }

                    if (SignatureCheck.Verify(file, certificate, phone.Model) is { } bad)
                    {
                        log.Add($"SECD: TVS {server}: vouched signer, but {bad}");
                        reasons.Add($"{server}: {bad}");
                        continue;
                    }

                    var ttl = response.TtlSeconds ?? 86400;
                    Cache(certificate, header.IssuerName, header.SerialNumber, response.Roles.Span, ttl, server, withCertificate: true);
                    log.Add($"SECD: saveCertToTvsCache: {header.SignerName} roles {{{string.Join(',', response.Roles.ToArray())}}} ttl {ttl}");
                    Answered.Add(server.ToString());
                    return null;
                }
            }

            return reasons.Count == 0 ? "no TVS server" : string.Join("; ", reasons);
        }

        /// <summary>VERIFY a server certificate; returns the TVS server that said valid, or null.</summary>
        public async Task<string?> VerifyAsync(byte[] certificate, CancellationToken cancellationToken)
        {
            var records = TvsRecords();
            if (records.Count == 0)
            {
                log.Add("SECD: no TVS record in the trust list: cannot ask TVS");
                return null;
            }

            foreach (var server in Servers())
            {
                var (client, _) = await ConnectAsync(server, records, cancellationToken);
                if (client is null)
                {
                    continue;
                }

                await using (client)
                {
                    try
                    {
                        var response = await client.VerifyAsync(phone.Model.TvsDeviceName(phone.Mac), certificate, cancellationToken);
                        if (response.Status != TvsStatus.Valid)
                        {
                            log.Add($"SECD: TVS {server}: certificate not trusted");
                            return null; // a reachable TVS that says no is the answer
                        }

                        var ttl = response.TtlSeconds ?? 86400;
                        using var parsed = X509CertificateLoader.LoadCertificate(certificate);
                        Cache(certificate, Wire.Dn.DistinguishedNames.ToCucm(parsed.IssuerName), CertificateFacts.SerialNumber(parsed),
                            response.Roles.Span, ttl, server, withCertificate: false);
                        log.Add($"SECD: TVS {server}: certificate trusted, roles {{{string.Join(',', response.Roles.ToArray())}}}");
                        log.Add($"SECD: saveCertToTvsCache: with default time-to-live value: {ttl} seconds");
                        Answered.Add(server.ToString());
                        return server.ToString();
                    }
                    catch (Exception e) when (e is TvsClientException or CryptographicException)
                    {
                        log.Add($"SECD: TVS {server}: {e.Message}");
                    }
                }
            }

            return null;
        }

        private async Task<(TvsClient? Client, string? Reason)> ConnectAsync(
            TvsServer server, List<TrustListRecord> records, CancellationToken cancellationToken)
        {
            try
            {
                var endpoint = await phone._options.Resolver.ResolveAsync(server.Address, server.Port, cancellationToken);
                var client = await TvsClient.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, new TvsClientOptions
                {
                    Timeout = phone._options.TvsTimeout,
                    LocalAddress = phone._options.SourceAddress,
                    Protocols = phone.Model.Tls10Only ? TlsProtocols(phone.Model) : null,
                }, cancellationToken);
                var presented = client.ServerCertificate.ToArray();
                var sha1 = SHA1.HashData(presented);
                log.Add($"SECD: findByIssuerAndSerialAndRoleInTL: TVS {server} ({client.NegotiatedTls})");
                var match = records.Any(r => (r.CertificateHash is { } hash && hash.AsSpan().SequenceEqual(sha1))
                    || (r.Certificate is { } der && der.AsSpan().SequenceEqual(presented)));
                if (!match)
                {
                    log.Add($"SECD: verifyCertWithHashFromTL: cert hash and hash in TL MISMATCH ({server})");
                    await client.DisposeAsync();
                    return (null, $"{server}: TVS certificate not in the trust list");
                }

                log.Add("SECD: verifyCertWithHashFromTL: cert hash and hash in TL MATCH");
                return (client, null);
            }
            catch (Exception e) when (e is TvsClientException or PhoneNetworkException)
            {
                log.Add($"SECD: TVS {server}: unreachable: {e.Message}");
                return (null, $"{server}: unreachable");
            }
        }

        private void Cache(byte[] certificate, string issuer, byte[] serial, ReadOnlySpan<byte> roles, uint ttl, TvsServer server, bool withCertificate)
        {
            var sha1 = Convert.ToHexStringLower(SHA1.HashData(certificate));
            var cache = state.Data.TvsCache ?? [];
            cache.RemoveAll(e => e.Sha1 == sha1);
            cache.Add(new TvsCacheEntry
            {
                Sha1 = sha1,
                Issuer = issuer,
                Serial = Convert.ToHexString(serial),
                Certificate = withCertificate ? Convert.ToBase64String(certificate) : null,
                Roles = [.. roles.ToArray().Select(r => (int)r)],
                ExpiresUnix = phone._options.Time.GetUtcNow().ToUnixTimeSeconds() + ttl,
                Server = server.ToString(),
            });
            state.Data.TvsCache = cache;
        }

        /// <summary>A cached QUERY answer that vouches for the signer of <paramref name="file"/>.</summary>
        public bool FromCache(TrustKind kind, SignedFile file)
        {
            var header = file.Header;
            var now = phone._options.Time.GetUtcNow().ToUnixTimeSeconds();
            var serial = Convert.ToHexString(header.SerialNumber);
            var entry = state.Data.TvsCache?.FirstOrDefault(e => e.Certificate is not null && e.ExpiresUnix > now
                && e.Serial == serial && e.Issuer is not null && Wire.Dn.DistinguishedNames.AreEquivalent(e.Issuer, header.IssuerName));
            log.Add($"SECD: lookupAuthCertTvsCacheEntry: {header.SignerName}: {(entry is null ? "no entry" : "found")}");
            if (entry is null)
            {
                return false;
            }

            var roles = entry.Roles.Select(r => (byte)r).ToArray();
            return TrustRules.TvsRolesFit(kind, roles)
                && SignatureCheck.Verify(file, Convert.FromBase64String(entry.Certificate!), phone.Model) is null;
        }
    }

    /// <summary>One boot's working state.</summary>
    private sealed class Boot(EmulatedPhone phone, PhoneState state)
    {
        private readonly List<string> _log = [];
        private readonly Dictionary<string, TimeSpan> _phases = new(StringComparer.Ordinal);
        private readonly List<string> _tvsAnswered = [];
        private TrustListFile? _ctl;
        private TrustListFile? _itl;
        private byte[]? _ctlBytes;
        private byte[]? _itlBytes;
        private bool _hadCtl;
        private FetchTransport? _transport;

        private PhoneOptions Options => phone._options;

        private string Mac => phone.Mac;

        private string FileName(PhoneFileKind kind) => PhoneFileName.ForDevice(kind, Mac).ToString();

        public async Task<PhoneBootResult> RunAsync(CancellationToken cancellationToken)
        {
            var total = Stopwatch.StartNew();
            var phase = Stopwatch.StartNew();
            state.Data.Mac = Mac;
            state.Data.Model = phone.Model.Name;
            state.Data.TftpServer = $"{Options.TftpHost}:{Options.TftpPort}";
            state.Data.HttpPort = Options.HttpPort;
            state.Data.Resolve = Options.Resolver.Entries.Count == 0 ? null : [.. Options.Resolver.Entries];
            _ctlBytes = state.ReadCtl();
            _itlBytes = state.ReadItl();
            _ctl = TryParse(_ctlBytes);
            _itl = TryParse(_itlBytes);
            var hadTrust = _ctl is not null || (_itl is not null && !_itl.IsBlank);
            _hadCtl = _ctl is not null;
            _log.Add($"TFTP: {phone.DeviceName} model {phone.Model.Name}: TFTP server {Options.TftpHost}:{Options.TftpPort}"
                + (Options.HttpPort is { } hp ? $", HTTP port {hp} first" : ", TFTP only"));
            _log.Add($"SECD: installed: CTL {(_ctl is null ? "none" : "present")}, ITL {(_itl is null ? "none" : _itl.IsBlank ? "blank" : "present")}");

            BootOutcome outcome;
            string status;
            string? configName = null;
            try
            {
                var server = await Options.Resolver.ResolveAsync(Options.TftpHost!, Options.TftpPort, cancellationToken);
                var http = Options.Http;

                // A shared pool hands a connection to whichever phone asks next: a phone with its own address needs its own.
                var ownsHttp = Options.HttpPort is not null && (http is null || Options.SourceAddress is not null);
                if (ownsHttp)
                {
                    http = PhoneFileFetcher.CreateHttpClient(4, Options.SourceAddress);
                }

                try
                {
                    var fetcher = new PhoneFileFetcher(server, Options.HttpPort, http, new TftpFileClient(Options.Tftp, Options.SourceAddress));
                    var ctlChange = await TrustListAsync(fetcher, TrustKind.Ctl, cancellationToken);
                    _phases["ctl"] = Lap(phase);
                    var itlChange = await TrustListAsync(fetcher, TrustKind.Itl, cancellationToken);
                    _phases["itl"] = Lap(phase);
                    var (configOutcome, configStatus, name) = await ConfigAsync(fetcher, cancellationToken);
                    configName = name;
                    _phases["config"] = Lap(phase);
                    if (fetcher.HttpFailure is { } why)
                    {
                        _log.Insert(1, $"TFTP: HTTP port {Options.HttpPort} unavailable ({why}): using TFTP");
                    }

                    (outcome, status) = Decide(hadTrust, ctlChange, itlChange, configOutcome, configStatus);
                }
                finally
                {
                    if (ownsHttp)
                    {
                        http!.Dispose();
                    }
                }
            }
            catch (PhoneNetworkException e)
            {
                _log.Add($"TFTP: {e.Message}");
                outcome = BootOutcome.Failed;
                status = "TFTP Timeout";
                _phases.TryAdd("ctl", TimeSpan.Zero);
                _phases.TryAdd("itl", TimeSpan.Zero);
                _phases.TryAdd("config", Lap(phase));
            }
            catch (FormatException e)
            {
                _log.Add($"TFTP: {e.Message}");
                outcome = BootOutcome.Failed;
                status = "Configuration file error";
            }

            var elapsed = total.Elapsed;
            state.AddMessage(status);
            state.Data.Status = status;
            state.Save();
            _log.Add($"SECD: Trust List: ITL {(_itlBytes is null ? "none" : "MD5 " + TrustListHashes.Of(_itlBytes).Md5)}"
                + (_ctlBytes is null ? "" : $", CTL MD5 {TrustListHashes.Of(_ctlBytes).Md5}"));

            phase.Restart();
            if (Options.Report is { } report)
            {
                var itlHashes = _itlBytes is null ? null : TrustListHashes.Of(_itlBytes);
                var ctlHashes = _ctlBytes is null ? null : TrustListHashes.Of(_ctlBytes);
                var failure = await report.SendAsync(phone.DeviceName, new DeviceReport(
                    itlHashes?.Md5, itlHashes?.Sha1, ctlHashes?.Md5, ctlHashes?.Sha1, _itl?.Header.SignerName, status), cancellationToken);
                _log.Add(failure is null ? "REPORT: trust list hashes reported" : $"REPORT: not reported: {failure}");
            }

            _phases["report"] = phase.Elapsed;
            return new PhoneBootResult(
                outcome,
                status,
                _log,
                _itlBytes is null ? null : TrustListHashes.Of(_itlBytes),
                _ctlBytes is null ? null : TrustListHashes.Of(_ctlBytes),
                _tvsAnswered,
                configName,
                _transport,
                _phases,
                elapsed);
        }

        private static TimeSpan Lap(Stopwatch stopwatch)
        {
            var elapsed = stopwatch.Elapsed;
            stopwatch.Restart();
            return elapsed;
        }

        private (BootOutcome, string) Decide(bool hadTrust, Change ctl, Change itl, BootOutcome configOutcome, string? configStatus)
        {
            if (itl == Change.Rejected)
            {
                return (BootOutcome.TrustFailed, "Trust List Update Failed");
            }

            if (ctl == Change.Rejected)
            {
                return (BootOutcome.TrustFailed, "CTL update failed");
            }

            if (configOutcome != BootOutcome.Accepted)
            {
                return (configOutcome, configStatus!);
            }

            var haveCtl = _ctlBytes is not null;
            var haveItl = _itlBytes is not null;
            if (!haveCtl && !haveItl)
            {
                return (BootOutcome.Accepted, "No Trust List installed");
            }

            // A first CTL is an initial install (alarm CTL_INITIAL_SUCCESS), even on a phone that held an ITL: the
            // phones of a cluster just switched to mixed mode show "CTL and ITL installed" (cucm-reference 3, 19).
            var firstCtl = !_hadCtl && ctl == Change.Installed;
            if (hadTrust && !firstCtl && (ctl == Change.Installed || itl == Change.Installed))
            {
                return (BootOutcome.Accepted, "Trust List updated");
            }

            return (BootOutcome.Accepted, haveCtl && haveItl ? "CTL and ITL installed" : haveCtl ? "CTL Installed" : "ITL installed");
        }

        private enum Change
        {
            NotServed,
            Unchanged,
            Installed,
            Rejected,
        }

        private async Task<(FetchResult Result, string Name)?> FetchAsync(
            PhoneFileFetcher fetcher, string[] names, string dest, CancellationToken cancellationToken)
        {
            foreach (var name in names)
            {
                var result = await fetcher.GetAsync(name, cancellationToken);
                _transport ??= result.Transport;
                if (result.IsFound)
                {
                    _log.Add($"TFTP: dgetfile src={name} dest=<ram>/{dest} rcvd {result.Bytes!.Length} bytes ({result.Transport.ToString().ToUpperInvariant()})");
                    return (result, name);
                }

                _log.Add($"TFTP: File Not Found <{name}> ({result.Transport.ToString().ToUpperInvariant()})");
            }

            return null;
        }

        private async Task<Change> TrustListAsync(PhoneFileFetcher fetcher, TrustKind kind, CancellationToken cancellationToken)
        {
            var fileKind = kind == TrustKind.Ctl ? PhoneFileKind.Ctl : PhoneFileKind.Itl;
            var generic = PhoneFileName.ForCluster(fileKind).ToString();
            var fetched = await FetchAsync(fetcher, [FileName(fileKind), generic], generic, cancellationToken);
            if (fetched is null)
            {
                state.AddMessage($"File Not Found <{generic}>");
                return Change.NotServed;
            }

            var bytes = fetched.Value.Result.Bytes!;
            var installed = kind == TrustKind.Ctl ? _ctlBytes : _itlBytes;
            if (installed is not null && installed.AsSpan().SequenceEqual(bytes))
            {
                _log.Add($"SECD: {generic} unchanged (MD5 {TrustListHashes.Of(bytes).Md5})");
                return Change.Unchanged;
            }

            if (kind == TrustKind.Itl && bytes.Length > phone.Model.MaxItlBytes)
            {
                _log.Add($"SECD: {generic} is {bytes.Length} bytes; this phone loads an ITL of at most {phone.Model.MaxItlBytes} bytes: REJECTED");
                _log.Add("SECD: Trust List update failed, verification failure");
                return Change.Rejected;
            }

            TrustListFile file;
            try
            {
                file = TrustListCodec.Parse(bytes);
            }
            catch (WireFormatException e)
            {
                _log.Add($"SECD: {generic}: parse error: {e.Message}");
                _log.Add($"SECD: {(kind == TrustKind.Ctl ? "CTL" : "ITL")} update failed, verification failure");
                return Change.Rejected;
            }

            var reason = await JudgeTrustListAsync(kind, file, cancellationToken);
            if (reason is not null)
            {
                _log.Add($"SECD: {generic} REJECTED: {reason}");
                _log.Add($"SECD: Trust List update failed, verification failure");
                return Change.Rejected;
            }

            _log.Add($"SECD: {generic} installed: {file.Records.Count} records, signer {file.Header.SignerName}, "
                + $"MD5 {TrustListHashes.Of(bytes).Md5}{(file.IsBlank ? " (blank: rollback)" : "")}");
            if (kind == TrustKind.Ctl)
            {
                _ctl = file;
                _ctlBytes = bytes;
                state.WriteCtl(bytes);

                // A new CTL flushes the phone's TVS certificate cache.
                if (state.Data.TvsCache is { Count: > 0 })
                {
                    _log.Add("SECD: TVS Certificate cache flush request");
                    state.Data.TvsCache = null;
                }
            }
            else
            {
                _itl = file;
                _itlBytes = bytes;
                state.WriteItl(bytes);
            }

            return Change.Installed;
        }

        /// <summary>Null when the new trust list may be installed, else why not.</summary>
        private async Task<string?> JudgeTrustListAsync(TrustKind kind, TrustListFile file, CancellationToken cancellationToken)
        {
            var header = file.Header;
            var itlBlank = _itl is not null && _itl.IsBlank;
            if (_ctl is null && (_itl is null || itlBlank))
            {
                // Rule 1: trust on first use (or after a rollback ITL), but the file must at least verify with its own signer.
                var self = file.Records.FirstOrDefault(r => SignatureCheck.NamesSigner(r, header) && (r.Role == TrustRole.Sast || file.IsBlank || r.Role == TrustRole.CcmTftp));
                if (self is null)
                {
                    return "its signer is not among its own records";
                }

                if (SignatureCheck.Verify(file.Signed, self, phone.Model) is { } bad)
                {
                    return bad;
                }

                _log.Add(itlBlank
                    ? $"SECD: installed ITL is blank (rollback): accepting {header.FileName} from any signer"
                    : $"SECD: setupSecurity: no CTL, no ITL: trusting {header.FileName} on first use (signer {header.SignerName})");
                return null;
            }

            if (kind == TrustKind.Itl && _ctl is not null && (_itl is null || itlBlank))
            {
                // Rule 2: CTL but no ITL: the ITL's signer must be in the CTL.
                return VerifyIn(_ctl, file.Signed, TrustKind.Itl, inCtl: true) ?? null;
            }

            // Rule 3: CTL, ITL, TVS cache, then TVS.
            if (_ctl is not null && VerifyIn(_ctl, file.Signed, kind, inCtl: true) is null)
            {
                return null;
            }

            if (_itl is not null && !itlBlank && VerifyIn(_itl, file.Signed, kind, inCtl: false) is null)
            {
                return null;
            }

            _log.Add($"SECD: {header.FileName}: signer {header.SignerName} not in CTL/ITL: asking TVS");
            var tvs = new TvsAsker(phone, state, _ctl, _itl, _log);
            if (tvs.FromCache(kind, file.Signed))
            {
                return null;
            }

            var reason = await tvs.QueryAsync(kind, file.Signed, cancellationToken);
            _tvsAnswered.AddRange(tvs.Answered);
            return reason is null ? null : "signer not in CTL/ITL and TVS did not vouch (" + reason + ")";
        }

        /// <summary>Null when a record of <paramref name="list"/> that may sign <paramref name="kind"/> verifies the file.</summary>
        private string? VerifyIn(TrustListFile list, SignedFile file, TrustKind kind, bool inCtl)
        {
            var where = inCtl ? "CTL" : "ITL";
            var candidates = list.Records.Where(r => SignatureCheck.NamesSigner(r, file.Header) && TrustRules.Fits(kind, r.Role, inCtl)).ToList();
            if (candidates.Count == 0)
            {
                return $"signer {file.Header.SignerName} not in the {where} in a role that may sign it";
            }

            string? last = null;
            foreach (var record in candidates)
            {
                last = SignatureCheck.Verify(file, record, phone.Model);
                if (last is null)
                {
                    _log.Add($"SECD: {file.Header.FileName}: signer found in {where} ({TrustRoles.DisplayName(record.Role!.Value)}): signature verified");
                    return null;
                }
            }

            _log.Add($"SECD: {file.Header.FileName}: signer found in {where}, but {last}");
            return last;
        }

        private async Task<(BootOutcome Outcome, string? Status, string? Name)> ConfigAsync(PhoneFileFetcher fetcher, CancellationToken cancellationToken)
        {
            var signedOnly = _ctl is not null || _itl is not null;

            // With a trust list the phone asks for its own signed config, then its own unsigned one (all a pre-8.0
            // cluster has, e.g. a leaf behind a central TFTP, scenario 18), before the signed default config.
            string[] names = signedOnly
                ? [FileName(PhoneFileKind.SignedConfig), FileName(PhoneFileKind.Config), PhoneFileName.SignedDefaultConfigName]
                : [FileName(PhoneFileKind.Config), PhoneFileName.DefaultConfigName];
            if (signedOnly)
            {
                _log.Add($"TFTP: authenticated file approved - add .sgn");
            }

            var fetched = await FetchAsync(fetcher, names, FileName(PhoneFileKind.Config), cancellationToken);
            if (fetched is null)
            {
                return (BootOutcome.Failed, $"File Not Found {FileName(PhoneFileKind.Config)}", null);
            }

            var name = fetched.Value.Name;
            var content = fetched.Value.Result.Bytes!;
            if (signedOnly && !name.EndsWith(".sgn", StringComparison.Ordinal))
            {
                // Only a blank (rollback) ITL lets a phone take an unsigned config (cucm-reference 1.6, formats.md 5).
                if (_ctl is not null || _itl is { IsBlank: false })
                {
                    _log.Add($"SECD: {name} is not signed and the phone holds a {(_ctl is null ? "" : "CTL and ")}ITL: REJECTED");
                    return (BootOutcome.TrustFailed, $"File Auth Error {name}", name);
                }

                _log.Add($"SECD: {name} is not signed: accepted (ITL is blank: rollback)");
            }
            else if (signedOnly)
            {
                var (ok, plain, reason) = await VerifySignedAsync(name, content, encrypted: false, cancellationToken);
                if (!ok)
                {
                    return (BootOutcome.TrustFailed, reason, name);
                }

                content = plain!;
            }

            var config = PhoneConfigFile.Parse(content);
            if (config.EncryptedConfig)
            {
                var (outcome, status, plain) = await EncryptedAsync(fetcher, config, cancellationToken);
                if (outcome != BootOutcome.Accepted)
                {
                    return (outcome, status, name);
                }

                name = FileName(PhoneFileKind.EncryptedConfig);
                content = plain!;
                config = PhoneConfigFile.Parse(content);
            }

            state.WriteConfig(content);
            state.Data.ConfigName = name;
            state.Data.TvsServers = [.. config.TvsServers.Select(s => new TvsServerData { Address = s.Address, Port = s.Port })];
            _log.Add($"TFTP: {name} accepted{(config.IsDefault ? " (XMLDefault: unknown phone)" : "")}; TVS list: "
                + (config.TvsServers.Count == 0 ? "none" : string.Join(", ", config.TvsServers)));
            return (BootOutcome.Accepted, null, name);
        }

        private async Task<(bool Ok, byte[]? Plain, string? Reason)> VerifySignedAsync(
            string name, byte[] bytes, bool encrypted, CancellationToken cancellationToken)
        {
            SignedFile signed;
            try
            {
                signed = encrypted ? EncSgnCodec.Parse(bytes) : SgnCodec.Parse(bytes);
            }
            catch (WireFormatException e)
            {
                _log.Add($"SECD: {name}: parse error: {e.Message}");
                return (false, null, $"File Auth Error {name}");
            }

            if (_itl is not null && _itl.IsBlank && _ctl is null)
            {
                _log.Add($"SECD: {name}: ITL is blank (rollback): accepted without signature check");
                return (true, signed.Body.ToArray(), null);
            }

            var reason = VerifyInstalled(signed);
            if (reason is not null)
            {
                _log.Add($"SECD: {name}: signer {signed.Header.SignerName} not verified by CTL/ITL ({reason}): asking TVS");
                var tvs = new TvsAsker(phone, state, _ctl, _itl, _log);
                if (!tvs.FromCache(TrustKind.Config, signed))
                {
                    var tvsReason = await tvs.QueryAsync(TrustKind.Config, signed, cancellationToken);
                    _tvsAnswered.AddRange(tvs.Answered);
                    if (tvsReason is not null)
                    {
                        _log.Add($"SECD: {name} REJECTED: {tvsReason}");
                        return (false, null, $"File Auth Error {name}");
                    }
                }
            }

            return (true, signed.Body.ToArray(), null);
        }

        private string? VerifyInstalled(SignedFile signed)
        {
            string? reason = null;
            if (_ctl is not null && (reason = VerifyIn(_ctl, signed, TrustKind.Config, inCtl: true)) is null)
            {
                return null;
            }

            if (_itl is not null && !_itl.IsBlank && (reason = VerifyIn(_itl, signed, TrustKind.Config, inCtl: false)) is null)
            {
                return null;
            }

            return reason ?? "no trust list";
        }

        private async Task<(BootOutcome, string?, byte[]?)> EncryptedAsync(PhoneFileFetcher fetcher, PhoneConfigFile stub, CancellationToken cancellationToken)
        {
            var name = FileName(PhoneFileKind.EncryptedConfig);
            using var certificate = state.LoadDeviceCertificate();
            if (certificate is null)
            {
                _log.Add("SECD: encrConfig true but the phone has no LSC or MIC to decrypt with");
                return (BootOutcome.Failed, "Encrypted config: no LSC", null);
            }

            var md5 = Convert.ToHexString(MD5.HashData(certificate.RawData));
            if (stub.CertificateHash is { } expected && !expected.Equals(md5, StringComparison.OrdinalIgnoreCase))
            {
                _log.Add($"SECD: certHash {expected} is not the phone certificate's MD5 {md5}: CAPF needed");
                return (BootOutcome.Failed, "Encrypted config: certHash mismatch", null);
            }

            var fetched = await FetchAsync(fetcher, [name], FileName(PhoneFileKind.Config), cancellationToken);
            if (fetched is null)
            {
                return (BootOutcome.Failed, $"File Not Found {name}", null);
            }

            var encryptedBytes = fetched.Value.Result.Bytes!;
            var (ok, ciphertext, reason) = await VerifySignedAsync(name, encryptedBytes, encrypted: true, cancellationToken);
            if (!ok)
            {
                return (BootOutcome.TrustFailed, reason, null);
            }

            var header = EncSgnCodec.Parse(encryptedBytes).Header;
            var block = header.Encryption!;
            try
            {
                using var rsa = certificate.GetRSAPrivateKey()
                    ?? throw new CryptographicException("the phone certificate has no RSA private key");
                var key = rsa.Decrypt(block.WrappedKey, RSAEncryptionPadding.Pkcs1);
                using var aes = Aes.Create();
                aes.Key = key;
                var padded = aes.DecryptCbc(ciphertext!, block.Iv, PaddingMode.None);
                var plain = padded.AsSpan(0, padded.Length - block.PaddingCount).ToArray();
                var digest = block.HashAlgorithm switch
                {
                    HashAlgorithmCode.Sha512 => SHA512.HashData(plain),
                    HashAlgorithmCode.Sha256 => SHA256.HashData(plain),
                    _ => SHA1.HashData(plain),
                };
                if (!digest.AsSpan().SequenceEqual(block.PlaintextHash))
                {
                    _log.Add($"SECD: {name}: decrypted configuration does not match its digest");
                    return (BootOutcome.Failed, $"Decryption failed {name}", null);
                }

                _log.Add($"SECD: {name}: decrypted with the phone's {(File.Exists(Path.Combine(state.Directory, PhoneState.LscFile)) ? "LSC" : "MIC")}");
                return (BootOutcome.Accepted, null, plain);
            }
            catch (CryptographicException e)
            {
                _log.Add($"SECD: {name}: decryption failed: {e.Message}");
                return (BootOutcome.Failed, $"Decryption failed {name}", null);
            }
        }
    }
}
