namespace SbdServer.Host.Startup;

/// <summary>
/// The database could not be reached at start, after the bounded retry of <see cref="SecurityStartupService"/>, or it
/// refused the connection for a reason a retry does not fix (wrong password, unknown database).
/// </summary>
internal sealed class DatabaseUnavailableException(string setting, string message, Exception innerException)
    : Exception(message, innerException)
{
    public string Setting { get; } = setting;
}
