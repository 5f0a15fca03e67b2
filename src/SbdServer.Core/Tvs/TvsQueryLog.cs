using SbdServer.Core.Diagnostics;

namespace SbdServer.Core.Tvs;

/// <summary>The last <c>capacity</c> TVS answers (<c>GET /api/tvs/queries</c>), kept by the listeners' <see cref="RecentLog{TRecord}"/>.</summary>
public sealed class TvsQueryLog(int capacity = 1000) : RecentLog<TvsQueryRecord>(capacity, r => r.DeviceName);
