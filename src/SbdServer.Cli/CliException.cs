namespace SbdServer.Cli;

/// <summary>A user-facing failure: the message is printed as the one-line reason.</summary>
internal sealed class CliException(string message) : Exception(message);
