using SbdServer.Core.Devices;
using SbdServer.Core.Storage;
using SbdServer.Core.Tftp;
using SbdServer.Persistence.Stores;
using Xunit;

namespace SbdServer.Persistence.Tests;

/// <summary>
/// The device list computed in SQL, once per provider: every ITL state of the inventory's rule from served records and
/// reports, search by name fragment and description, paging with a total, and the per-state counts.
/// </summary>
public abstract class DeviceSearchTests(DatabaseTarget target)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TftpFileHashes Current = new(new string('c', 32), new string('c', 40), new string('c', 64));

    private const string Old = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public async Task ItlState_FollowsServedRecordsAndNewerReports_AndSearchPagesAndCounts()
    {
        using var harness = SecurityHarness.Create(await target.NewDatabaseAsync());
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        var expected = new Dictionary<string, TrustFileState>
        {
            ["SEP000000000001"] = TrustFileState.NeverFetched,
            ["SEP000000000002"] = TrustFileState.InSync,
            ["SEP000000000003"] = TrustFileState.Stale,
            ["SEP000000000004"] = TrustFileState.InSync, // stale fetch, newer report of the current file
            ["SEP000000000005"] = TrustFileState.ReportedMismatch, // current fetch, newer report of an old file
            ["SEP000000000006"] = TrustFileState.InSync, // the report is older than the fetch: the fetch wins
            ["SEP000000000007"] = TrustFileState.InSync, // MD5 only (7900 series)
            ["SEP000000000008"] = TrustFileState.ReportedMismatch, // reports no ITL while there is one to hold
            ["SEP000000000009"] = TrustFileState.ReportedMismatch, // MD5 right, SHA-1 wrong
        };
        var changes = new SecurityChangeSet();
        foreach (var name in expected.Keys)
        {
            changes.Added.Add(new Device
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                Model = "8861",
                CallManagerGroup = "Default",
                Description = name.EndsWith('5') ? "Lobby phone" : "",
                SecurityMode = name.EndsWith('3') ? DeviceSecurityMode.Encrypted : DeviceSecurityMode.NonSecure,
                UpdatedAt = t0,
            });
        }

        await harness.Store.CommitAsync(changes, Ct);
        await new EfServedFileStore(harness.Contexts).RecordAsync(
        [
            Served("SEP000000000002", Current.Sha1, t0.AddSeconds(1)),
            Served("SEP000000000003", Old, t0.AddSeconds(1)),
            Served("SEP000000000004", Old, t0.AddSeconds(1)),
            Served("SEP000000000005", Current.Sha1, t0.AddSeconds(1)),
            Served("SEP000000000006", Current.Sha1, t0.AddSeconds(30)),
            Served("CTL", Current.Sha1, t0), // a CTL record of another kind never counts for the ITL
        ], Ct);
        var reports = new EfDeviceReportStore(harness.Contexts);
        await reports.SaveAsync(Report("SEP000000000004", null, Current.Sha1, t0.AddSeconds(2)), Ct);
        await reports.SaveAsync(Report("SEP000000000005", null, Old, t0.AddSeconds(2)), Ct);
        await reports.SaveAsync(Report("SEP000000000006", null, Old, t0.AddSeconds(20)), Ct);
        await reports.SaveAsync(Report("SEP000000000007", Current.Md5, null, t0.AddSeconds(2)), Ct);
        await reports.SaveAsync(Report("SEP000000000008", null, null, t0.AddSeconds(2)), Ct);
        await reports.SaveAsync(Report("SEP000000000009", Current.Md5, Old, t0.AddSeconds(2)), Ct);
        var search = new EfDeviceSearch(harness.Contexts);

        var all = await search.SearchAsync(new DeviceQuery(null, null, 0, 100), Current, Ct);
        Assert.Equal(expected.Count, all.Total);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), all.Rows.Select(r => r.Name));
        foreach (var row in all.Rows)
        {
            Assert.True(expected[row.Name] == row.ItlState, $"{row.Name}: {row.ItlState}, expected {expected[row.Name]}");
        }

        Assert.Equal(expected.OrderBy(e => e.Key), (await search.ItlStatesAsync(Current, Ct)).OrderBy(e => e.Key));

        // The planner's rows: the same states from the same query, with model and group.
        var planRows = await search.PlanRowsAsync(Current, Ct);
        Assert.Equal(expected.OrderBy(e => e.Key), planRows.Select(r => KeyValuePair.Create(r.Name, r.ItlState)).OrderBy(e => e.Key));
        Assert.All(planRows, r => Assert.Equal(("8861", "Default"), (r.Model, r.CallManagerGroup)));
        Assert.Equal("SEP000000000003", Assert.Single(planRows, r => r.SecurityMode != DeviceSecurityMode.NonSecure).Name); // scenario 20's TLS registration

        var mismatched = await search.SearchAsync(new DeviceQuery(null, TrustFileState.ReportedMismatch, 0, 100), Current, Ct);
        Assert.Equal(["SEP000000000005", "SEP000000000008", "SEP000000000009"], mismatched.Rows.Select(r => r.Name));

        var page = await search.SearchAsync(new DeviceQuery("sep00000000000", null, 3, 2), Current, Ct);
        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(["SEP000000000004", "SEP000000000005"], page.Rows.Select(r => r.Name));
        Assert.Equal("SEP000000000005", Assert.Single((await search.SearchAsync(new DeviceQuery("LOBBY", null, 0, 10), Current, Ct)).Rows).Name);
        Assert.Empty((await search.SearchAsync(new DeviceQuery("%", null, 0, 10), Current, Ct)).Rows);

        // Text and ITL state together, and a page past the end (the total still counts every match).
        var both = await search.SearchAsync(new DeviceQuery("sep00000000000", TrustFileState.ReportedMismatch, 1, 1), Current, Ct);
        Assert.Equal(3, both.Total);
        Assert.Equal("SEP000000000008", Assert.Single(both.Rows).Name);
        var past = await search.SearchAsync(new DeviceQuery("lobby", null, 5, 10), Current, Ct);
        Assert.Equal(1, past.Total);
        Assert.Empty(past.Rows);

        // The page's rows carry their ITL state and dates whichever way the page was found.
        var lobby = Assert.Single((await search.SearchAsync(new DeviceQuery("lobby", null, 0, 10), Current, Ct)).Rows);
        Assert.Equal(TrustFileState.ReportedMismatch, lobby.ItlState);
        Assert.NotNull(lobby.ItlServedAt);
        Assert.NotNull(lobby.ReportedAt);

        var counts = await search.CountByItlStateAsync(Current, Ct);
        Assert.Equal(1, counts[TrustFileState.NeverFetched]);
        Assert.Equal(4, counts[TrustFileState.InSync]);
        Assert.Equal(1, counts[TrustFileState.Stale]);
        Assert.Equal(3, counts[TrustFileState.ReportedMismatch]);

        // No ITL to serve (no cluster yet): a report naming none says nothing, one naming an ITL mismatches, a fetch is stale.
        var none = (await search.SearchAsync(new DeviceQuery(null, null, 0, 100), null, Ct)).Rows.ToDictionary(r => r.Name, r => r.ItlState);
        Assert.Equal(TrustFileState.NeverFetched, none["SEP000000000008"]);
        Assert.Equal(TrustFileState.Stale, none["SEP000000000002"]);
        Assert.Equal(TrustFileState.ReportedMismatch, none["SEP000000000007"]);
    }

    // The planner's populations counted in SQL: on a fleet with every ITL state, group, model and security mode mixed,
    // the counts are those of the per-row query, and the first devices of chosen populations are the rows' by name.
    [Fact]
    public async Task Populations_CountLikeThePerRowQuery_AndListTheFirstDevicesOfChosenOnes()
    {
        using var harness = SecurityHarness.Create(await target.NewDatabaseAsync());
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        string[] models = ["8861", "7962", "7940"];
        var changes = new SecurityChangeSet();
        var served = new List<DeviceServedFile>();
        var reports = new EfDeviceReportStore(harness.Contexts);
        for (var i = 0; i < 96; i++)
        {
            // Names out of insertion order, so the name order is the database's doing.
            var name = $"SEP0000000{(i * 37) % 96:X2}{i:X3}";
            changes.Added.Add(new Device
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                Model = models[i % 3],
                CallManagerGroup = i / 12 % 2 == 0 ? "Default" : "Lab",
                SecurityMode = (DeviceSecurityMode)(i / 24 % 3), // 72 populations, some of two devices
                UpdatedAt = t0,
            });
            if (i % 4 != 0)
            {
                served.Add(Served(name, i % 4 == 2 ? Old : Current.Sha1, t0.AddSeconds(1))); // 1 in sync, 2 stale, 3 see below
            }
        }

        await harness.Store.CommitAsync(changes, Ct);
        await new EfServedFileStore(harness.Contexts).RecordAsync(served, Ct);
        foreach (var device in changes.Added.OfType<Device>().Where((_, i) => i % 4 == 3))
        {
            await reports.SaveAsync(Report(device.Name, null, Old, t0.AddSeconds(2)), Ct); // a newer report of an old ITL
        }

        var search = new EfDeviceSearch(harness.Contexts);
        var rows = await search.PlanRowsAsync(Current, Ct);
        var perRow = rows.CountBy(r => new DevicePopulation(r.CallManagerGroup, r.Model, r.ItlState, r.SecurityMode)).ToDictionary();

        var counted = await search.CountPopulationsAsync(Current, Ct);

        Assert.Equal(perRow.OrderBy(p => p.Key.ToString()), counted.Select(c => KeyValuePair.Create(c.Population, c.Count)).OrderBy(p => p.Key.ToString()));
        Assert.Equal(96, counted.Sum(c => c.Count));
        Assert.Equal(Enum.GetValues<TrustFileState>().Order(), counted.Select(c => c.Population.ItlState).Distinct().Order());
        Assert.Equal(72, counted.Count); // group x model x state x security, none collapsed
        Assert.Contains(counted, c => c.Count == 2);

        // The first devices of the populations an admin would see listed (stale or mismatched), among hundreds that
        // match nothing: one OR per population must stay within SQLite's expression depth.
        var chosen = counted.Select(c => c.Population).Where(p => p.ItlState is TrustFileState.Stale or TrustFileState.ReportedMismatch).ToList();
        var noise = Enumerable.Range(0, 600).Select(i => new DevicePopulation("Group" + i, "8861", TrustFileState.InSync, DeviceSecurityMode.NonSecure));
        var expected = rows
            .Where(r => chosen.Contains(new DevicePopulation(r.CallManagerGroup, r.Model, r.ItlState, r.SecurityMode)))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(48, expected.Count);

        Assert.Equal(expected.Take(5), await search.PlanRowsAsync(Current, [.. chosen, .. noise], 5, Ct));
        Assert.Equal(expected, await search.PlanRowsAsync(Current, chosen, 100, Ct));
        Assert.Empty(await search.PlanRowsAsync(Current, [.. noise], 100, Ct));
        Assert.Empty(await search.PlanRowsAsync(Current, [], 100, Ct));
    }

    private static DeviceServedFile Served(string device, string sha1, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(),
        DeviceName = device == "CTL" ? "SEP000000000001" : device,
        Kind = device == "CTL" ? "CTL" : "ITL",
        Md5 = sha1[..32],
        Sha1 = sha1,
        ServedAt = at,
    };

    private static DeviceReport Report(string device, string? md5, string? sha1, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(),
        DeviceName = device,
        ItlMd5 = md5,
        ItlSha1 = sha1,
        Status = "ITL installed",
        ReceivedAt = at,
    };
}

public sealed class SqliteDeviceSearchTests(SqliteTarget target) : DeviceSearchTests(target), IClassFixture<SqliteTarget>;

public sealed class PostgresDeviceSearchTests(PostgresTarget target) : DeviceSearchTests(target), IClassFixture<PostgresTarget>;
