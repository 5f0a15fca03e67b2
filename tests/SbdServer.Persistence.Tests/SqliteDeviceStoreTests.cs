using Xunit;

namespace SbdServer.Persistence.Tests;

public sealed class SqliteDeviceStoreTests(SqliteTarget target) : DeviceStoreTests(target), IClassFixture<SqliteTarget>;
