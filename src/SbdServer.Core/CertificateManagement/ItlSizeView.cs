namespace SbdServer.Core.CertificateManagement;

/// <summary>The ITL a TFTP node serves: its size, the most phones load, and the warning when it is over.</summary>
public sealed record ItlSizeView(string Node, int Bytes, int LimitBytes, string? Warning);
