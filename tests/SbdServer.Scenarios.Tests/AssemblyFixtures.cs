using SbdServer.Testing;
using Xunit;

// Scenario clusters bind the standard ports on fixed loopback addresses: one scenario at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(PostgresServerLifetime))]
