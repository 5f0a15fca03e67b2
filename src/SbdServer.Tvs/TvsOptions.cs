using System.ComponentModel.DataAnnotations;

namespace SbdServer.Tvs;

/// <summary>Configuration section <c>Tvs</c> (docs/runbook.md lists every key).</summary>
public sealed class TvsOptions
{
    public const string Section = "Tvs";

    /// <summary>False keeps the listener off (e.g. a node without the TVS service).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Local address to bind; <c>0.0.0.0</c> for all IPv4, <c>::</c> for IPv4 and IPv6.</summary>
    [Required]
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 2445;

    /// <summary>Also accept TLS 1.0 (7900-series phones). Off by default; see docs/adr/0001-tvs-tls.md.</summary>
    public bool AllowTls10 { get; set; }

    /// <summary>
    /// Also accept TLS 1.3. Off by default: CUCM's TVS speaks TLS 1.2 (1.0 for legacy phones), no phone offers 1.3,
    /// and a 1.3 handshake costs the server more (post-handshake session tickets).
    /// </summary>
    public bool AllowTls13 { get; set; }

    /// <summary>PEM file with the TVS certificate and its private key, used when no other source is registered.</summary>
    public string? CertificatePem { get; set; }

    /// <summary>Certificates loaded into the in-memory trust store at startup (when no database feeds it).</summary>
    public IList<TvsTrustFile> TrustFiles { get; } = [];

    /// <summary>Largest message body accepted; a larger declared length closes the connection before buffering.</summary>
    [Range(64, 65535)]
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>Open connections across all clients; further connections are closed at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 2000;

    /// <summary>Open connections from one IP address (a site behind NAT shares one address).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerIp { get; set; } = 200;

    /// <summary>Requests answered on one connection before it is closed.</summary>
    [Range(1, 1_000_000)]
    public int MaxRequestsPerConnection { get; set; } = 100;

    /// <summary>Time a client has to complete the TLS handshake.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time a client has to send a whole request (from the wait for its first byte) or read our answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a connection may pass with nothing sent or received before the listener kit closes it (counted in
    /// <c>sbd_tvs_idle_timeouts_total</c>). <see cref="ReadTimeout"/> bounds one request; this bounds a connection a
    /// phone keeps open between requests.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// After the server's last answer on a connection it closes (request cap reached, protocol violation): how long
    /// it keeps reading and discarding what the client still sends, so the close is a FIN the client reads after
    /// every answer rather than a reset that destroys answers in flight.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CloseDrainTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>TTL handed out for certificates without their own (CUCM default: one day).</summary>
    [Range(1, uint.MaxValue)]
    public uint DefaultTtlSeconds { get; set; } = 86_400;

    /// <summary>Answers kept in the in-memory query log.</summary>
    [Range(1, 1_000_000)]
    public int QueryLogCapacity { get; set; } = 1000;
}
