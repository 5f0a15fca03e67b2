namespace SbdServer.PhoneServices;

/// <summary>One corporate directory entry (configuration <c>PhoneServices:Directory:N</c>).</summary>
public sealed class PhoneDirectoryEntry
{
    public string FirstName { get; set; } = "";

    public string LastName { get; set; } = "";

    public string Telephone { get; set; } = "";
}
