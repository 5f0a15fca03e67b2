namespace SbdServer.Core.Errors;

/// <summary>The input breaks a rule (a field's format or range, a combination of fields, an upload's content).</summary>
public class InvalidInputException : DomainException
{
    public InvalidInputException(string message)
        : base(message)
    {
    }

    public InvalidInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
