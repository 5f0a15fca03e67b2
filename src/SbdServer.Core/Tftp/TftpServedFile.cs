using System.Net;

namespace SbdServer.Core.Tftp;

/// <summary>
/// One completed delivery: which file (and which exact bytes) went to which client, when. The trust inventory uses it
/// to know which ITL/CTL hash each device holds.
/// </summary>
/// <param name="RequestedName">The normalised name the phone asked for (e.g. <c>ITLSEP0011AA000001.tlv</c>).</param>
/// <param name="ServedName">The catalogue name actually served (e.g. <c>ITLFile.tlv</c> after the fallback).</param>
/// <param name="Source">The source that held it ("generated", "static", "alternate", ...).</param>
/// <param name="Client">The client's address and port.</param>
/// <param name="Channel">TFTP or HTTP.</param>
/// <param name="Length">Bytes served (before netascii conversion).</param>
/// <param name="Hashes">Digests of those bytes.</param>
/// <param name="CompletedAt">When the last block was acknowledged (HTTP: when the body was written).</param>
public sealed record TftpServedFile(
    string RequestedName,
    string ServedName,
    string Source,
    IPEndPoint Client,
    TftpChannel Channel,
    long Length,
    TftpFileHashes Hashes,
    DateTimeOffset CompletedAt);
