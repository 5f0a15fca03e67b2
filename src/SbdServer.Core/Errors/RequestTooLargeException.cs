namespace SbdServer.Core.Errors;

/// <summary>An upload or request body is larger than the route accepts; <see cref="LimitBytes"/> is that limit.</summary>
public sealed class RequestTooLargeException(string message, long limitBytes) : DomainException(message)
{
    public long LimitBytes { get; } = limitBytes;
}
