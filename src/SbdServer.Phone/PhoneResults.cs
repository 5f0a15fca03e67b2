using System.Security.Cryptography;
using SbdServer.Phone.Net;

namespace SbdServer.Phone;

/// <summary>How a boot ended, which is also the exit code of <c>sbd phone boot</c>.</summary>
public enum BootOutcome
{
    /// <summary>The configuration was accepted and no trust list update failed (exit 0).</summary>
    Accepted = 0,

    /// <summary>A trust decision refused a trust list or the configuration (exit 1).</summary>
    TrustFailed = 1,

    /// <summary>Anything else: network, missing files, no key for an encrypted config, a bad state directory (exit 2).</summary>
    Failed = 2,
}

/// <summary>MD5 and SHA-1 of an installed trust list, lower-case hex, as the Trust List menu shows them.</summary>
public sealed record TrustListHashes(string Md5, string Sha1)
{
    public static TrustListHashes Of(ReadOnlySpan<byte> file) =>
        new(Convert.ToHexStringLower(MD5.HashData(file)), Convert.ToHexStringLower(SHA1.HashData(file)));
}

/// <summary>What one boot did.</summary>
/// <param name="Status">The phone's status message for the boot ("ITL installed", "Trust List Update Failed", ...).</param>
/// <param name="Log">The console log, in the phone's words (<c>TFTP:</c>, <c>SECD:</c> lines).</param>
/// <param name="Itl">Hashes of the ITL installed after the boot, or null.</param>
/// <param name="Ctl">Hashes of the CTL installed after the boot, or null.</param>
/// <param name="TvsAnswered">TVS servers (<c>host:port</c> as named in the config) whose QUERY answer made the
/// phone accept a file in this boot, in order.</param>
/// <param name="ConfigFile">The configuration file accepted (<c>SEP&lt;MAC&gt;.cnf.xml.sgn</c>, ...), or null.</param>
/// <param name="Phases">Wall time per phase: <c>ctl</c>, <c>itl</c>, <c>config</c>, <c>report</c>.</param>
/// <param name="Elapsed">Whole boot, the report excluded.</param>
public sealed record PhoneBootResult(
    BootOutcome Outcome,
    string Status,
    IReadOnlyList<string> Log,
    TrustListHashes? Itl,
    TrustListHashes? Ctl,
    IReadOnlyList<string> TvsAnswered,
    string? ConfigFile,
    FetchTransport? Transport,
    IReadOnlyDictionary<string, TimeSpan> Phases,
    TimeSpan Elapsed)
{
    public bool Accepted => Outcome == BootOutcome.Accepted;
}

/// <summary>Where the phone found an HTTPS server's certificate, in lookup order.</summary>
public enum HttpsTrustSource
{
    None,
    Ctl,
    Itl,
    TvsCache,
    Tvs,
}

/// <summary>What an HTTPS phone-service request did.</summary>
/// <param name="Trusted">The phone trusted the server certificate.</param>
/// <param name="Source">Where the trust came from.</param>
/// <param name="TvsServer">The TVS server that answered VERIFY, when it was asked.</param>
/// <param name="HttpStatus">The status code of the request, when the phone trusted the server and sent it.</param>
/// <param name="Log">The console log lines of the request.</param>
public sealed record PhoneHttpsResult(
    bool Trusted,
    HttpsTrustSource Source,
    string? TvsServer,
    int? HttpStatus,
    string ServerCertificateSha1,
    IReadOnlyList<string> Log);
