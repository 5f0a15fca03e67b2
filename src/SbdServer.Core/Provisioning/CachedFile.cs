using SbdServer.Core.Tftp;

namespace SbdServer.Core.Provisioning;

/// <summary>One built file and its digests (computed once, for the served-file record and HTTP ETags).</summary>
public sealed record CachedFile(byte[] Bytes, TftpFileHashes Hashes);
