using System.ComponentModel.DataAnnotations;

namespace SbdServer.Sip;

/// <summary>Configuration section <c>Sip</c>: the CallManager's secure SIP port (docs/runbook.md lists every key).</summary>
public sealed class SipOptions
{
    public const string Section = "Sip";

    /// <summary>
    /// Off by default: the emulator has no call control, and this port exists so that phones with a secure profile
    /// can check CallManager's TLS certificate against their CTL and register (scenario 20).
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>Local address to bind; <c>0.0.0.0</c> for all IPv4, <c>::</c> for IPv4 and IPv6.</summary>
    [Required]
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>TCP port of SIP over TLS; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 5061;

    /// <summary>Also accept TLS 1.0 (7900-series phones), as <c>Tvs:AllowTls10</c>.</summary>
    public bool AllowTls10 { get; set; }

    /// <summary>Also accept TLS 1.3.</summary>
    public bool AllowTls13 { get; set; }

    /// <summary>
    /// Ask the phone for its certificate in the TLS handshake and register a device with an authenticated or encrypted
    /// profile only when it presented its LSC or MIC (<c>PhoneCertificateTrust</c>), as CUCM does; false neither asks
    /// nor checks, for real phones whose manufacturing CA is not in CAPF-trust or CallManager-trust.
    /// </summary>
    public bool RequireClientCertificate { get; set; } = true;

    /// <summary>Longest registration lifetime granted (the <c>Expires</c> of the 200 OK).</summary>
    [Range(60, 86400)]
    public int RegistrationSeconds { get; set; } = 3600;

    /// <summary>Open connections across all clients; further connections are closed at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Open connections from one IP address.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerIp { get; set; } = 100;

    /// <summary>Time a client has to complete the TLS handshake.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time a client has to send a whole request; an idle connection is closed after it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
