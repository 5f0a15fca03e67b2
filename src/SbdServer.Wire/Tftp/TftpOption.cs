namespace SbdServer.Wire.Tftp;

/// <summary>One RFC 2347 option pair as sent by the peer (name case preserved; compare case-insensitively).</summary>
public readonly record struct TftpOption(string Name, string Value);
