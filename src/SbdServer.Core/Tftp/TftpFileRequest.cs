using System.Net;

namespace SbdServer.Core.Tftp;

/// <summary>A lookup in the file catalogue.</summary>
/// <param name="Name">Normalised name (see <see cref="TftpFileName"/>): relative, '/'-separated, no '..'.</param>
/// <param name="Client">Address of the asking phone; generated sources may answer per device or per client.</param>
/// <param name="Channel">TFTP or HTTP.</param>
public sealed record TftpFileRequest(string Name, IPAddress Client, TftpChannel Channel);
