using Xunit;

namespace SbdServer.Persistence.Tests;

public sealed class PostgresDeviceStoreTests(PostgresTarget target) : DeviceStoreTests(target), IClassFixture<PostgresTarget>;
