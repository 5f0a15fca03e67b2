namespace SbdServer.Core.Tftp;

/// <summary>Digests of the exact bytes served, as the trust inventory records them (lower-case hex).</summary>
public sealed record TftpFileHashes(string Md5, string Sha1, string Sha256);
