using System.ComponentModel.DataAnnotations;

namespace SbdServer.Tftp;

/// <summary>Configuration section "Tftp" (docs/runbook.md lists every key with its default).</summary>
public sealed class TftpOptions
{
    public const string Section = "Tftp";

    /// <summary>Run the TFTP and HTTP 6970 services at all (integration tests of other features turn them off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Listen address. "::" (default) is dual-stack IPv6 + IPv4; "0.0.0.0" IPv4 only; or one address.</summary>
    [Required]
    public string Address { get; set; } = "::";

    /// <summary>UDP port for requests. 0 picks a free port (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 69;

    /// <summary>TCP port of the HTTP file endpoint phones try first. 0 picks a free port (tests).</summary>
    [Range(0, 65535)]
    public int HttpPort { get; set; } = 6970;

    /// <summary>Serve the catalogue over HTTP as well.</summary>
    public bool HttpEnabled { get; set; } = true;

    /// <summary>Static TFTP root directory; empty disables the static source.</summary>
    public string Root { get; set; } = string.Empty;

    /// <summary>Largest RFC 2348 blksize granted on IPv4 (IPv6 gets 20 bytes less: the larger IPv6 header).</summary>
    [Range(512, 65464)]
    public int MaxBlockSize { get; set; } = 1468;

    /// <summary>Largest RFC 7440 windowsize granted.</summary>
    [Range(1, 64)]
    public int MaxWindowSize { get; set; } = 16;

    /// <summary>First retransmit timeout when the client did not negotiate "timeout" (milliseconds).</summary>
    [Range(100, 255_000)]
    public int RetransmitTimeoutMs { get; set; } = 1000;

    /// <summary>Cap of the doubling retransmit timeout (milliseconds).</summary>
    [Range(100, 255_000)]
    public int MaxRetransmitTimeoutMs { get; set; } = 8000;

    /// <summary>Retransmissions of the same packet before the transfer is abandoned.</summary>
    [Range(1, 20)]
    public int MaxRetransmits { get; set; } = 5;

    /// <summary>Transfers in progress at once, all clients together (CUCM "Maximum Serving Count").</summary>
    [Range(1, 100_000)]
    public int MaxSessions { get; set; } = 1500;

    /// <summary>Transfers in progress at once from one client IP address; 0 = no per-client cap.</summary>
    [Range(0, 100_000)]
    public int MaxSessionsPerClient { get; set; } = 64;

    /// <summary>New requests per second accepted from one client IP (token bucket, burst = 2 s); 0 = unlimited.</summary>
    [Range(0, 1_000_000)]
    public int MaxRequestsPerSecondPerClient { get; set; } = 200;

    /// <summary>What a request over a limit gets: silence (the client retries later) or ERROR 0 "Server busy".</summary>
    public TftpOverLimitAction OverLimitAction { get; set; } = TftpOverLimitAction.Drop;

    /// <summary>Serve every transfer from the listening port (NAT, containers) instead of one port per transfer.</summary>
    public bool SinglePort { get; set; }

    /// <summary>First port of the per-transfer port range; 0 with <see cref="DataPortMax"/> 0 = any ephemeral port.</summary>
    [Range(0, 65535)]
    public int DataPortMin { get; set; }

    /// <summary>Last port of the per-transfer port range.</summary>
    [Range(0, 65535)]
    public int DataPortMax { get; set; }

    /// <summary>Static files up to this size are read into memory per transfer; larger ones are read block by block.</summary>
    [Range(0, 64 * 1024 * 1024)]
    public int MaxInMemoryFileBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Remote TFTP servers ("host", "host:port", "[v6]:port") asked in order for a file no local source holds
    /// (CUCM "alternate file locations", centralized TFTP).
    /// </summary>
    public IList<string> AlternateLocations { get; } = [];

    /// <summary>How long one alternate location may stay silent before the next is asked (milliseconds).</summary>
    [Range(100, 60_000)]
    public int AlternateTimeoutMs { get; set; } = 2000;

    /// <summary>Largest file fetched from an alternate location (bytes; it is held in memory while served).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int AlternateMaxFileBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Per-transfer log lines per second; the rest are counted and summarised once per second.</summary>
    [Range(1, 100_000)]
    public int MaxTransferLogLinesPerSecond { get; set; } = 100;
}
