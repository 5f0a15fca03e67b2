using Xunit;

namespace SbdServer.Persistence.Tests;

public sealed class PostgresDeviceBackupTests(PostgresTarget target) : DeviceBackupTests(target), IClassFixture<PostgresTarget>;
