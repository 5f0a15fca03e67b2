using Npgsql;
using SbdServer.Core.DeviceManagement;
using SbdServer.Core.Devices;
using SbdServer.Core.Storage;
using SbdServer.Persistence.Stores;
using Xunit;

namespace SbdServer.Persistence.Tests;

/// <summary>
/// A restore on PostgreSQL while phones write what they fetched and report (the served-file recorder and device
/// reports write outside the cluster write lock): the phone's row committed in the middle of the restore's transaction
/// must neither fail the restore (a duplicate of the archive's row for the same phone) nor survive it.
/// </summary>
public sealed class PostgresRestoreRaceTests(PostgresTarget target) : IClassFixture<PostgresTarget>
{
    private const string Phone = "SEP001122334466";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> PhoneWrittenTables => new() { "device_served_files", "device_reports" };

    [Theory]
    [MemberData(nameof(PhoneWrittenTables))]
    public async Task APhoneRowCommittedDuringTheRestore_TheRestoreSucceeds_AndTheArchiveWins(string table)
    {
        var database = await target.NewClusterAsync();
        using var harness = SecurityHarness.Create(database);
        var devices = new DeviceManager(
            harness.Get<SecurityUnitOfWork>(), new EfDeviceStore(harness.Contexts), harness.Codec, harness.Inspector, harness.Events, TimeProvider.System);
        await devices.CreateAsync(new DeviceSpec(Phone, "8861", null, null, null, null, null), "t", Ct);
        await new EfServedFileStore(harness.Contexts).RecordAsync(
            [new DeviceServedFile { Id = Guid.CreateVersion7(), DeviceName = Phone, Kind = "ITL", Md5 = new string('1', 32), Sha1 = new string('2', 40), ServedAt = DateTimeOffset.UtcNow }],
            Ct);
        await new DeviceReports(new EfDeviceStore(harness.Contexts), new EfDeviceReportStore(harness.Contexts), TimeProvider.System)
            .SubmitAsync(Phone, new DeviceReportSpec(new string('1', 32), new string('2', 40), null, null, null, "ITL installed", null, null), Ct);
        var archive = await harness.Backups.CreateAsync("tester", Ct);

        // The phone's next write, as its store makes it (the old row replaced), held open: the restore starts meanwhile.
        await using var phone = new NpgsqlConnection(database.EffectiveConnectionString);
        await phone.OpenAsync(Ct);
        await using var write = await phone.BeginTransactionAsync(Ct);
        await ExecuteAsync(phone, write, $"DELETE FROM {table} WHERE device_name = '{Phone}'");
        await ExecuteAsync(phone, write, InsertNewer(table));

        var restore = harness.Backups.RestoreAsync(archive, "tester", Ct);
        await WaitUntilWaitingOnALockAsync(database.EffectiveConnectionString, phone.ProcessID);
        await write.CommitAsync(Ct);
        await restore;

        // The archive's row, not the phone's: everything after the restore's start comes after the restore.
        var served = Assert.Single(await new EfServedFileStore(harness.Contexts).ForDeviceAsync(Phone, Ct));
        Assert.Equal(new string('1', 32), served.Md5);
        var report = await new EfDeviceReportStore(harness.Contexts).FindAsync(Phone, Ct);
        Assert.Equal(new string('1', 32), report!.ItlMd5);
        Assert.Single(await new EfDeviceReportStore(harness.Contexts).ListAsync(Ct));
    }

    private static string InsertNewer(string table) => table == "device_served_files"
        ? "INSERT INTO device_served_files (id, device_name, kind, md5, sha1, served_at, version) " +
          $"VALUES ('{Guid.CreateVersion7()}', '{Phone}', 'ITL', '{new string('9', 32)}', '{new string('9', 40)}', now(), 1)"
        : "INSERT INTO device_reports (id, device_name, itl_md5, status, received_at) " +
          $"VALUES ('{Guid.CreateVersion7()}', '{Phone}', '{new string('9', 32)}', 'ITL installed', now())";

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(Ct);
    }

    // Some backend other than the phone's waits on a lock: the restore has reached the phone's uncommitted row.
    private static async Task WaitUntilWaitingOnALockAsync(string connectionString, int phoneBackend)
    {
        await using var monitor = new NpgsqlConnection(connectionString);
        await monitor.OpenAsync(Ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> @phone", monitor);
            command.Parameters.AddWithValue("phone", phoneBackend);
            if ((long)(await command.ExecuteScalarAsync(Ct))! > 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the restore never reached the phone's uncommitted row");
            await Task.Delay(20, Ct);
        }
    }
}
