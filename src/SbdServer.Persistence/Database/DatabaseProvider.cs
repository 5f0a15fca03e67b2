namespace SbdServer.Persistence.Database;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
