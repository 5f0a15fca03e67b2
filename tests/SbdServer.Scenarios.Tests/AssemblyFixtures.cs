using SbdServer.Testing;
using Xunit;

// Scenario clusters bind the standard ports on fixed loopback addresses: xunit.runner.json runs one test at a time.
[assembly: AssemblyFixture(typeof(PostgresServerLifetime))]
