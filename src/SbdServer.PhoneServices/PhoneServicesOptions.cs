using System.ComponentModel.DataAnnotations;

namespace SbdServer.PhoneServices;

/// <summary>HTTPS phone services on 8443 (configuration section <c>PhoneServices</c>, docs/runbook.md).</summary>
public sealed class PhoneServicesOptions
{
    public const string Section = "PhoneServices";

    /// <summary>Cisco phones show at most 32 directory entries per page (CiscoIPPhoneDirectory limit).</summary>
    public const int MaxEntriesPerPage = 32;

    public bool Enabled { get; set; } = true;

    /// <summary>Listen address: an IP address, <c>0.0.0.0</c> (all IPv4) or <c>::</c> (dual stack).</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>TCP port; 0 = any free port (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8443;

    /// <summary>Also accept TLS 1.0 and 1.1 (7900-series phones); needs the process-wide OpenSSL level set by the host.</summary>
    public bool AllowTls10 { get; set; }

    [Range(1, 100_000)]
    public int MaxConnections { get; set; } = 1000;

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a kept-alive connection may wait for its next request before it is closed. This listener is Kestrel,
    /// which applies it (its keep-alive timeout, server-wide); the TVS and CAPF listeners have theirs in the kit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed <c>authenticate.jsp</c> attempts allowed per client address and window.</summary>
    [Range(1, 10_000)]
    public int MaxFailedAuthentications { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailedAuthenticationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The corporate directory phones search; empty by default.</summary>
    public IList<PhoneDirectoryEntry> Directory { get; } = [];
}
