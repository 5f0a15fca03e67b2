namespace SbdServer.Core.CertificateStore;

/// <summary>The CTL as stored (<c>GET /api/ctl</c>, <c>POST /api/ctl/update</c>).</summary>
/// <param name="MixedMode">Whether the cluster is in mixed mode (only then is a CTL served).</param>
/// <param name="WrittenAt">When the CTL's set was captured (mixed mode enabled or last updated); null when none is stored.</param>
/// <param name="Records">The CTL's records in order.</param>
/// <param name="Stale">Whether a certificate the CTL lists was regenerated (or added, or removed) since it was written.</param>
/// <param name="Differences">What differs, one line each; empty when current.</param>
/// <param name="Advice">What to do about it when stale.</param>
public sealed record CtlView(
    bool MixedMode,
    DateTimeOffset? WrittenAt,
    IReadOnlyList<CtlRecordView> Records,
    bool Stale,
    IReadOnlyList<string> Differences,
    string? Advice);

/// <summary>One CTL record: its role, which certificate of which node it was, and whether that is still current.</summary>
public sealed record CtlRecordView(string Role, string Certificate, string? Node, string Subject, string Sha256, bool Current);
