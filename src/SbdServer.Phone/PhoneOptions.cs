using System.Net;
using System.Text.RegularExpressions;
using SbdServer.Phone.Net;
using SbdServer.Phone.Reporting;

namespace SbdServer.Phone;

/// <summary>How an <see cref="EmulatedPhone"/> boots: who it is and where its TFTP server is.</summary>
public sealed partial record PhoneOptions
{
    /// <summary>12 upper-case hex digits (<see cref="NormalizeMac"/> accepts the usual notations).</summary>
    public required string Mac { get; init; }

    public PhoneModel Model { get; init; } = PhoneModel.Default;

    /// <summary>TFTP server name or address (DHCP option 150); null for HTTPS checks that use the stored one.</summary>
    public string? TftpHost { get; init; }

    public int TftpPort { get; init; } = 69;

    /// <summary>HTTP file port tried first; null = TFTP only.</summary>
    public int? HttpPort { get; init; } = 6970;

    public PhoneResolver Resolver { get; init; } = PhoneResolver.Empty;

    /// <summary>
    /// The phone's own address: its TFTP, HTTP 6970 and TVS traffic leaves from it. A farm gives every phone its own,
    /// as real phones have: a server limits transfers and requests per client address (Tftp:MaxSessionsPerClient), so
    /// thousands of phones sharing one address would be throttled like one misbehaving client. Null lets the system
    /// choose.
    /// </summary>
    public IPAddress? SourceAddress { get; init; }

    /// <summary>Shared HTTP client for port 6970; null, or a <see cref="SourceAddress"/>, gives the phone its own.</summary>
    public HttpClient? Http { get; init; }

    public TftpClientOptions Tftp { get; init; } = new();

    /// <summary>Connect + handshake + answer time allowed to each TVS server.</summary>
    public TimeSpan TvsTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where to report the installed ITL/CTL hashes after each boot; null = no report.</summary>
    public DeviceReportClient? Report { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary><c>SEP</c> + the MAC: the device name of the files and of the API.</summary>
    public string DeviceName => "SEP" + Mac;

    /// <summary>
    /// 12 upper-case hex digits from <c>0011215A1AE3</c>, <c>00:11:21:5a:1a:e3</c>, <c>0011.215a.1ae3</c>,
    /// <c>00-11-...</c> or <c>SEP0011215A1AE3</c>.
    /// </summary>
    /// <exception cref="FormatException">Not a MAC address.</exception>
    public static string NormalizeMac(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.StartsWith("SEP", StringComparison.OrdinalIgnoreCase))
        {
            value = value[3..];
        }

        value = value.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)
            .Replace(".", "", StringComparison.Ordinal);
        return HexMac().IsMatch(value)
            ? value.ToUpperInvariant()
            : throw new FormatException($"'{text}' is not a MAC address (12 hex digits).");
    }

    /// <summary>The MAC <paramref name="offset"/> places after <paramref name="mac"/>, wrapping at 48 bits.</summary>
    public static string AddToMac(string mac, long offset)
    {
        var value = Convert.ToUInt64(NormalizeMac(mac), 16);
        var next = (value + (ulong)offset) & 0xFFFF_FFFF_FFFFUL;
        return next.ToString("X12", System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("^[0-9A-Fa-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexMac();
}
