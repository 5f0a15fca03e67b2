using Xunit;

namespace SbdServer.Persistence.Tests;

public sealed class SqliteSecurityStoreTests(SqliteTarget target) : SecurityStoreTests(target), IClassFixture<SqliteTarget>;
