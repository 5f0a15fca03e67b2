using Xunit;

namespace SbdServer.Persistence.Tests;

public sealed class SqliteDeviceBackupTests(SqliteTarget target) : DeviceBackupTests(target), IClassFixture<SqliteTarget>;
