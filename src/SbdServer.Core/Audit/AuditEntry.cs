namespace SbdServer.Core.Audit;

/// <summary>Who did what, when, to which certificate or parameter.</summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    /// <summary>What was acted on, e.g. <c>cucm-pub/CallManager</c> or <c>Phone-SAST-trust/&lt;sha256&gt;</c>.</summary>
    public required string Target { get; set; }

    public string Details { get; set; } = "";
}
