using SbdServer.Core.Audit;
using SbdServer.Core.Storage;
using SbdServer.Persistence.Stores;
using Xunit;

namespace SbdServer.Persistence.Tests;

/// <summary>
/// The Audit Log's reads in SQL, once per provider: newest first by creation (UUIDv7 ids), exact actor and action
/// filters, a text search in any case over who, action, target and details, a total over all pages, the filter
/// choices; and a restore that keeps the entries written since the backup.
/// </summary>
public abstract class AuditLogTests(DatabaseTarget target)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_NewestFirst_FilteredAndCountedInTheDatabase()
    {
        using var harness = SecurityHarness.Create(await target.NewDatabaseAsync());
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var changes = new SecurityChangeSet();
        for (var i = 0; i < 120; i++)
        {
            changes.Audit.Add(Entry(start.AddMilliseconds(i), i % 3 == 0 ? "importer" : "operator", i % 2 == 0 ? "test.even" : "test.odd",
                $"entry-{i:D3}", i == 7 ? "Needle in the Details" : ""));
        }

        await harness.Store.CommitAsync(changes, Ct);
        var log = new EfAuditLog(harness.Contexts);

        var first = await log.PageAsync(new AuditQuery(null, null, null, 0, 50), Ct);
        Assert.Equal(120, first.Total);
        Assert.Equal(Enumerable.Range(70, 50).Reverse().Select(i => $"entry-{i:D3}"), first.Entries.Select(e => e.Target));
        var last = await log.PageAsync(new AuditQuery(null, null, null, 100, 50), Ct);
        Assert.Equal(Enumerable.Range(0, 20).Reverse().Select(i => $"entry-{i:D3}"), last.Entries.Select(e => e.Target));
        Assert.Empty((await log.PageAsync(new AuditQuery(null, null, null, 500, 50), Ct)).Entries);

        // Every sixth entry is the importer's and even; the second page of 10 starts at the eleventh newest of them.
        var both = await log.PageAsync(new AuditQuery("importer", "test.even", null, 10, 10), Ct);
        Assert.Equal(20, both.Total);
        Assert.Equal(Enumerable.Range(0, 120).Where(i => i % 6 == 0).Reverse().Skip(10).Select(i => $"entry-{i:D3}"), both.Entries.Select(e => e.Target));

        // The text search looks in every column in any case; the actor filter is exact.
        Assert.Equal("entry-007", Assert.Single((await log.PageAsync(new AuditQuery(null, null, "nEEDLE", 0, 50), Ct)).Entries).Target);
        Assert.Equal(40, (await log.PageAsync(new AuditQuery(null, null, "IMPORT", 0, 50), Ct)).Total);
        Assert.Equal(0, (await log.PageAsync(new AuditQuery("IMPORTER", null, null, 0, 50), Ct)).Total);
        Assert.Equal(0, (await log.PageAsync(new AuditQuery(null, null, "%", 0, 50), Ct)).Total);

        var facets = await log.FacetsAsync(10, Ct);
        Assert.Equal(["importer", "operator"], facets.Actors);
        Assert.Equal(["test.even", "test.odd"], facets.Actions);
        Assert.Single((await log.FacetsAsync(1, Ct)).Actions);
    }

    [Fact]
    public async Task Restore_KeepsTheEntriesWrittenSinceTheBackup_AndBringsBackTheArchivesOnce()
    {
        using var harness = SecurityHarness.Create(await target.NewClusterAsync());
        var archive = await harness.Backups.CreateAsync("tester", Ct);
        var archived = (await harness.Store.ExportAsync(Ct)).Audit.Select(a => a.Id).ToList();
        var later = new SecurityChangeSet();
        later.Audit.Add(Entry(DateTimeOffset.UtcNow, "admin", "restore.refused", "admin", "from 127.0.0.1"));
        await harness.Store.CommitAsync(later, Ct);

        await harness.Backups.RestoreAsync(archive, "tester", Ct);

        var audit = (await harness.Store.ExportAsync(Ct)).Audit;
        Assert.Contains(audit, a => a.Id == later.Audit[0].Id);
        Assert.All(archived, id => Assert.Single(audit, a => a.Id == id));
        var newest = (await new EfAuditLog(harness.Contexts).PageAsync(new AuditQuery(null, null, null, 0, 2), Ct)).Entries;
        Assert.Equal(["backup.restore", "restore.refused"], newest.Select(e => e.Action));
    }

    private static AuditEntry Entry(DateTimeOffset at, string actor, string action, string target, string details) => new()
    {
        Id = Guid.CreateVersion7(at),
        At = at,
        Actor = actor,
        Action = action,
        Target = target,
        Details = details,
    };
}

public sealed class SqliteAuditLogTests(SqliteTarget target) : AuditLogTests(target), IClassFixture<SqliteTarget>;

public sealed class PostgresAuditLogTests(PostgresTarget target) : AuditLogTests(target), IClassFixture<PostgresTarget>;
