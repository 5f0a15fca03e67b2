namespace SbdServer.Wire.Tftp;

/// <summary>A parsed RRQ or WRQ.</summary>
/// <param name="Opcode"><see cref="TftpOpcode.Rrq"/> or <see cref="TftpOpcode.Wrq"/>.</param>
/// <param name="FileName">The file name exactly as sent (Latin-1 decoded), not yet normalised.</param>
/// <param name="ModeText">The mode string as sent; see <see cref="TftpRequestCodec.TryParseMode"/>.</param>
/// <param name="Options">Option pairs in the order sent, empty names and pairs without a value dropped.</param>
public sealed record TftpRequest(TftpOpcode Opcode, string FileName, string ModeText, IReadOnlyList<TftpOption> Options);
