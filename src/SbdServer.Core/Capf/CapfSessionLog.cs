using SbdServer.Core.Diagnostics;

namespace SbdServer.Core.Capf;

/// <summary>The last <c>capacity</c> CAPF sessions of this node (<c>GET /api/capf/sessions</c>), kept by the listeners' <see cref="RecentLog{TRecord}"/>.</summary>
public sealed class CapfSessionLog(int capacity = 1000) : RecentLog<CapfSessionRecord>(capacity, r => r.DeviceName);
