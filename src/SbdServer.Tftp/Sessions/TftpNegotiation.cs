using System.Globalization;
using SbdServer.Wire.Tftp;

namespace SbdServer.Tftp.Sessions;

/// <summary>
/// RFC 2347 option negotiation for one RRQ. Unknown, malformed or out-of-range options are ignored (never ERROR 8):
/// the OACK carries only accepted options, each once, in the order asked; no OACK at all when nothing was accepted.
/// </summary>
/// <param name="BlockSize">Granted blksize (512 when not negotiated).</param>
/// <param name="WindowSize">Granted windowsize (1 when not negotiated).</param>
/// <param name="TimeoutSeconds">Granted RFC 2349 timeout, or null.</param>
/// <param name="Accepted">The OACK pairs (lower-case names).</param>
internal sealed record TftpNegotiation(int BlockSize, int WindowSize, int? TimeoutSeconds, IReadOnlyList<TftpOption> Accepted)
{
    public const int DefaultBlockSize = 512;

    /// <summary>RFC 2348 lower bound; smaller values are treated as absent.</summary>
    public const int MinBlockSize = 8;

    /// <summary>Negotiates the options of a read request.</summary>
    /// <param name="options">Options as received.</param>
    /// <param name="mode">Transfer mode: netascii gets no tsize (size unknown before conversion) and window 1.</param>
    /// <param name="fileLength">Octet size for tsize.</param>
    /// <param name="maxBlockSize">Cap for blksize (configuration, lowered for IPv6).</param>
    /// <param name="maxWindowSize">Cap for windowsize.</param>
    public static TftpNegotiation Negotiate(
        IReadOnlyList<TftpOption> options, TftpMode mode, long fileLength, int maxBlockSize, int maxWindowSize)
    {
        var blockSize = DefaultBlockSize;
        var windowSize = 1;
        int? timeout = null;
        var accepted = new List<TftpOption>(4);
        bool seenBlock = false, seenWindow = false, seenTimeout = false, seenTsize = false;

        foreach (var option in options)
        {
            var name = option.Name.ToLowerInvariant();
            switch (name)
            {
                case "blksize" when !seenBlock && TryInt(option.Value, out var asked) && asked >= MinBlockSize:
                    seenBlock = true;
                    blockSize = (int)Math.Min(asked, maxBlockSize); // RFC 2348: may answer smaller, never larger
                    accepted.Add(new TftpOption(name, blockSize.ToString(CultureInfo.InvariantCulture)));
                    break;
                case "tsize" when !seenTsize && mode == TftpMode.Octet && TryInt(option.Value, out _):
                    seenTsize = true;
                    accepted.Add(new TftpOption(name, fileLength.ToString(CultureInfo.InvariantCulture)));
                    break;
                case "timeout" when !seenTimeout && TryInt(option.Value, out var seconds) && seconds is >= 1 and <= 255:
                    seenTimeout = true;
                    timeout = (int)seconds;
                    accepted.Add(new TftpOption(name, option.Value.Trim())); // RFC 2349: echoed unchanged
                    break;
                case "windowsize" when !seenWindow && mode == TftpMode.Octet && TryInt(option.Value, out var window)
                                       && window is >= 1 and <= 65535:
                    seenWindow = true;
                    windowSize = (int)Math.Min(window, maxWindowSize);
                    accepted.Add(new TftpOption(name, windowSize.ToString(CultureInfo.InvariantCulture)));
                    break;
                default:
                    break; // unknown, duplicate or invalid: silently ignored (RFC 2347, tftp-hpa 6.0 behaviour)
            }
        }

        return new TftpNegotiation(blockSize, windowSize, timeout, accepted);
    }

    private static bool TryInt(string text, out long value) =>
        long.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
