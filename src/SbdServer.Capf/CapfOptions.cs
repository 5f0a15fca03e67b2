using System.ComponentModel.DataAnnotations;

namespace SbdServer.Capf;

/// <summary>Configuration section <c>Capf</c> (docs/runbook.md lists every key).</summary>
public sealed class CapfOptions
{
    public const string Section = "Capf";

    /// <summary>False keeps the listener off (CUCM 14 runs CAPF on the publisher only).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Local address to bind; <c>0.0.0.0</c> for all IPv4, <c>::</c> for IPv4 and IPv6.</summary>
    [Required]
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 3804;

    /// <summary>Also accept TLS 1.0 (7900-series phones), as <c>Tvs:AllowTls10</c>.</summary>
    public bool AllowTls10 { get; set; }

    /// <summary>Also accept TLS 1.3.</summary>
    public bool AllowTls13 { get; set; }

    /// <summary>Largest message body accepted; a larger declared length closes the connection before buffering.</summary>
    [Range(256, 65535)]
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>Open connections across all clients; further connections are closed at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Open connections from one IP address.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerIp { get; set; } = 100;

    /// <summary>Time a client has to complete the TLS handshake.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time a client has to send a whole message (from the wait for its first byte) or read ours.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a phone has to answer KEY_GENERATE_REQUEST (older phones take tens of seconds for RSA-2048).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan KeyGenerationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a connection may pass with nothing sent or received before the listener kit closes it (counted in
    /// <c>sbd_capf_idle_timeouts_total</c>, the session logged as timed out). Longer than
    /// <see cref="KeyGenerationTimeout"/>: a phone generating its key sends nothing meanwhile.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sessions kept in the in-memory session log.</summary>
    [Range(1, 1_000_000)]
    public int SessionLogCapacity { get; set; } = 1000;
}
