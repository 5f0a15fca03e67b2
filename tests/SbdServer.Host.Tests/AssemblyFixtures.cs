using SbdServer.Testing;
using Xunit;

[assembly: AssemblyFixture(typeof(PostgresServerLifetime))]
