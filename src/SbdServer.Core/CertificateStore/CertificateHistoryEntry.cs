using SbdServer.Core.Certificates;

namespace SbdServer.Core.CertificateStore;

/// <summary>An identity certificate and key that a regeneration replaced; kept to recover or to rebuild an older ITL.</summary>
public sealed class CertificateHistoryEntry : CertificateRecord
{
    public Guid NodeId { get; set; }

    public string Name { get; set; } = "";

    public KeyAlgorithm KeyAlgorithm { get; set; }

    public byte[] ProtectedKey { get; set; } = [];

    public DateTimeOffset ReplacedAt { get; set; }

    public string Reason { get; set; } = "";
}
