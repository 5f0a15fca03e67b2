namespace SbdServer.Host.Startup;

/// <summary>A missing or invalid setting stops the start; <see cref="Setting"/> is the key to fix.</summary>
internal sealed class StartupConfigurationException(string setting, string message) : InvalidOperationException(message)
{
    public string Setting { get; } = setting;
}
