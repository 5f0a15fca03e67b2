using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using SbdServer.Core.Devices;
using SbdServer.Core.Tftp;
using SbdServer.Persistence.Database;

namespace SbdServer.Persistence.Stores;

/// <summary>
/// The device list in SQL: devices joined to their ITL served record and their report (both unique per device name,
/// so each join is an index lookup), the ITL state computed by a CASE that mirrors <c>DeviceTrustInventory</c>, and
/// filter, count and page composed on top by EF. One statement serves SQLite and PostgreSQL.
/// </summary>
public sealed class EfDeviceSearch(SbdDbContextFactory contexts) : IDeviceSearch
{
    public async Task<DevicePage> SearchAsync(DeviceQuery query, TftpFileHashes? currentItl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = contexts.Create();
        if (query.ItlState is not { } state)
        {
            // Without the ITL filter the device table alone decides which devices and how many: count and page it (by
            // the name index), then join the served-file and report rows for the page's names only, not for every
            // device before the page.
            var devices = db.Devices.AsNoTracking();
            if (query.Text is { } text)
            {
                var (name, description) = Needles(text);
#pragma warning disable CA1862 // EF translates ToLower/Contains to SQL; the StringComparison overloads it cannot
                devices = devices.Where(d => d.Name.Contains(name) || d.Description.ToLower().Contains(description));
#pragma warning restore CA1862
            }

            var count = await devices.CountAsync(cancellationToken);
            var names = await devices.OrderBy(d => d.Name).Skip(query.Offset).Take(query.Limit).Select(d => d.Name).ToListAsync(cancellationToken);
            var listed = names.Count == 0
                ? []
                : await Rows(db, currentItl).Where(r => names.Contains(r.Name)).OrderBy(r => r.Name).ToListAsync(cancellationToken);
            return Page(listed, count, query);
        }

        var rows = Rows(db, currentItl);
        if (query.Text is { } filter)
        {
            var (name, description) = Needles(filter);
#pragma warning disable CA1862 // as above
            rows = rows.Where(r => r.Name.Contains(name) || r.Description.ToLower().Contains(description));
#pragma warning restore CA1862
        }

        var wanted = (int)state;
        rows = rows.Where(r => r.ItlState == wanted);
        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.OrderBy(r => r.Name).Skip(query.Offset).Take(query.Limit).ToListAsync(cancellationToken);
        return Page(page, total, query);
    }

    // Names are stored upper-case; descriptions in any case (lower() on both sides works on either provider).
    private static (string Name, string Description) Needles(string text) => (text.ToUpperInvariant(), text.ToLowerInvariant());

    private static DevicePage Page(List<Row> rows, int total, DeviceQuery query) =>
        new(
            [.. rows.Select(r => new DeviceListRow(
                r.Name, r.Model, r.Description, r.CallManagerGroup, (TrustFileState)r.ItlState, r.ItlServedAt, r.ReportedAt,
                r.ResetRequestedAt is not null))],
            total, query.Offset, query.Limit);

    public async Task<IReadOnlyDictionary<string, TrustFileState>> ItlStatesAsync(TftpFileHashes? currentItl, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var states = await Rows(db, currentItl).Select(r => new { r.Name, r.ItlState }).ToListAsync(cancellationToken);
        return states.ToDictionary(s => s.Name, s => (TrustFileState)s.ItlState, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<DevicePlanRow>> PlanRowsAsync(TftpFileHashes? currentItl, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var rows = await Rows(db, currentItl).Select(r => new { r.Name, r.Model, r.CallManagerGroup, r.ItlState, r.SecurityMode }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DevicePlanRow(r.Name, r.Model, r.CallManagerGroup, (TrustFileState)r.ItlState, (DeviceSecurityMode)r.SecurityMode))];
    }

    public async Task<IReadOnlyList<PopulationCount>> CountPopulationsAsync(TftpFileHashes? currentItl, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        // Grouped by the device's own columns, in the order of their index (IX_devices_plan), with one conditional count
        // per ITL state: SQLite then aggregates while it scans the index instead of sorting 10 000 computed rows into a
        // temporary b-tree, which halved the query (docs/benchmarks.md, admin pages).
        var counts = await Rows(db, currentItl)
            .GroupBy(r => new { r.CallManagerGroup, r.Model, r.SecurityMode })
            .Select(g => new
            {
                g.Key.CallManagerGroup,
                g.Key.Model,
                g.Key.SecurityMode,
                NeverFetched = g.Count(r => r.ItlState == (int)TrustFileState.NeverFetched),
                InSync = g.Count(r => r.ItlState == (int)TrustFileState.InSync),
                Stale = g.Count(r => r.ItlState == (int)TrustFileState.Stale),
                ReportedMismatch = g.Count(r => r.ItlState == (int)TrustFileState.ReportedMismatch),
            })
            .ToListAsync(cancellationToken);
        return
        [
            .. counts.SelectMany(c => new[]
                {
                    (State: TrustFileState.NeverFetched, Count: c.NeverFetched),
                    (State: TrustFileState.InSync, Count: c.InSync),
                    (State: TrustFileState.Stale, Count: c.Stale),
                    (State: TrustFileState.ReportedMismatch, Count: c.ReportedMismatch),
                }
                .Where(s => s.Count > 0)
                .Select(s => new PopulationCount(
                    new DevicePopulation(c.CallManagerGroup, c.Model, s.State, (DeviceSecurityMode)c.SecurityMode), s.Count))),
        ];
    }

    public async Task<IReadOnlyList<DevicePlanRow>> PlanRowsAsync(
        TftpFileHashes? currentItl, IReadOnlyCollection<DevicePopulation> populations, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(populations);
        if (populations.Count == 0 || limit <= 0)
        {
            return [];
        }

        await using var db = contexts.Create();
        // Device names are SEP and 12 upper-case hex digits (DeviceName), so the database's name order is the ordinal
        // order the planner lists in, on SQLite (binary) and on PostgreSQL in any collation.
        var rows = await Rows(db, currentItl)
            .Where(InAny([.. populations.Distinct()]))
            .OrderBy(r => r.Name)
            .Take(limit)
            .Select(r => new { r.Name, r.Model, r.CallManagerGroup, r.ItlState, r.SecurityMode })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DevicePlanRow(r.Name, r.Model, r.CallManagerGroup, (TrustFileState)r.ItlState, (DeviceSecurityMode)r.SecurityMode))];
    }

    // One equality test per population, OR-ed as a balanced tree: a chain of hundreds of ORs would nest deeper than
    // SQLite's expression depth limit (1000); a tree nests log2 of that.
    private static Expression<Func<Row, bool>> InAny(IReadOnlyList<DevicePopulation> populations)
    {
        var row = Expression.Parameter(typeof(Row), "r");
        return Expression.Lambda<Func<Row, bool>>(Any(row, populations, 0, populations.Count), row);
    }

    private static BinaryExpression Any(ParameterExpression row, IReadOnlyList<DevicePopulation> populations, int from, int to)
    {
        if (to - from == 1)
        {
            var p = populations[from];
            return new[]
            {
                Expression.Equal(Expression.Property(row, nameof(Row.CallManagerGroup)), Expression.Constant(p.CallManagerGroup)),
                Expression.Equal(Expression.Property(row, nameof(Row.Model)), Expression.Constant(p.Model)),
                Expression.Equal(Expression.Property(row, nameof(Row.ItlState)), Expression.Constant((int)p.ItlState)),
                Expression.Equal(Expression.Property(row, nameof(Row.SecurityMode)), Expression.Constant((int)p.SecurityMode)),
            }.Aggregate(Expression.AndAlso);
        }

        var middle = from + ((to - from) / 2);
        return Expression.OrElse(Any(row, populations, from, middle), Any(row, populations, middle, to));
    }

    public async Task<IReadOnlyDictionary<TrustFileState, int>> CountByItlStateAsync(TftpFileHashes? currentItl, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var counts = await Rows(db, currentItl)
            .GroupBy(r => r.ItlState)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return Enum.GetValues<TrustFileState>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.State == (int)s)?.Count ?? 0);
    }

    private static IQueryable<Row> Rows(SbdDbContext db, TftpFileHashes? current)
    {
        // The rule of DeviceTrustInventory.StatesAsync for the ITL: a report counts when it is at least as new as the
        // last fetch and names an ITL or there is one to hold; it matches when every hash it gives equals the current
        // file's. Without a report: no fetch is NeverFetched (0), the current SHA-1 InSync (1), anything else Stale (2);
        // ReportedMismatch is 3. Reports hold lower-case hex (DeviceReports.Hex), as do the served records and the
        // current hashes. SQLite keeps DateTimeOffset as ISO text, which orders correctly because every stored
        // instant is UTC (TimeProvider.GetUtcNow); EF refuses to compare them there, so the comparison is in this SQL.
        var reportCounts = current is null
            ? "r.itl_md5 IS NOT NULL OR r.itl_sha1 IS NOT NULL"
            : "1 = 1";
        var reportMatches = current is null
            ? "r.itl_md5 IS NULL AND r.itl_sha1 IS NULL"
            : "(r.itl_md5 IS NOT NULL OR r.itl_sha1 IS NOT NULL) AND (r.itl_sha1 IS NULL OR r.itl_sha1 = {1}) AND (r.itl_md5 IS NULL OR r.itl_md5 = {0})";
        var servedCurrent = current is null ? "1 = 0" : "s.sha1 = {1}";
        var sql = $"""
            SELECT d.name AS "Name", d.model AS "Model", d.description AS "Description",
                   d.call_manager_group AS "CallManagerGroup", d.security_mode AS "SecurityMode", d.reset_requested_at AS "ResetRequestedAt",
                   s.served_at AS "ItlServedAt", r.received_at AS "ReportedAt",
                   CASE
                       WHEN r.id IS NOT NULL AND (s.id IS NULL OR r.received_at >= s.served_at) AND ({reportCounts})
                           THEN CASE WHEN {reportMatches} THEN 1 ELSE 3 END
                       WHEN s.id IS NULL THEN 0
                       WHEN {servedCurrent} THEN 1
                       ELSE 2
                   END AS "ItlState"
            FROM devices d
            LEFT JOIN device_served_files s ON s.device_name = d.name AND s.kind = 'ITL'
            LEFT JOIN device_reports r ON r.device_name = d.name
            """;
        object[] arguments = current is null ? [] : [current.Md5.ToLowerInvariant(), current.Sha1.ToLowerInvariant()];
        return db.Database.SqlQuery<Row>(FormattableStringFactory.Create(sql, arguments));
    }

    /// <summary>The statement's columns (named like the properties: EF maps raw results by name).</summary>
    private sealed class Row
    {
        public string Name { get; set; } = "";

        public string Model { get; set; } = "";

        public string Description { get; set; } = "";

        public string CallManagerGroup { get; set; } = "";

        public int SecurityMode { get; set; }

        public DateTimeOffset? ResetRequestedAt { get; set; }

        public DateTimeOffset? ItlServedAt { get; set; }

        public DateTimeOffset? ReportedAt { get; set; }

        public int ItlState { get; set; }
    }
}
