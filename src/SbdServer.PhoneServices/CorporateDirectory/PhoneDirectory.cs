namespace SbdServer.PhoneServices.CorporateDirectory;

/// <summary>
/// The configured corporate directory, sorted once (last name, first name, number) and searched like CUCM's
/// <c>xmldirectorylist.jsp</c>: each given criterion is a case-insensitive "begins with", all of them must match,
/// and an empty criterion matches everyone.
/// </summary>
public sealed class PhoneDirectory
{
    private readonly PhoneDirectoryEntry[] _entries;

    public PhoneDirectory(IEnumerable<PhoneDirectoryEntry> entries)
    {
        _entries =
        [
            .. entries
                .Select(e => new PhoneDirectoryEntry
                {
                    FirstName = e.FirstName?.Trim() ?? "",
                    LastName = e.LastName?.Trim() ?? "",
                    Telephone = e.Telephone?.Trim() ?? "",
                })
                .OrderBy(e => e.LastName, StringComparer.OrdinalIgnoreCase)
                .ThenBy(e => e.FirstName, StringComparer.OrdinalIgnoreCase)
                .ThenBy(e => e.Telephone, StringComparer.Ordinal),
        ];
    }

    public int Count => _entries.Length;

    public IReadOnlyList<PhoneDirectoryEntry> Search(string? firstName, string? lastName, string? number)
    {
        var first = firstName?.Trim() ?? "";
        var last = lastName?.Trim() ?? "";
        var digits = number?.Trim() ?? "";
        return
        [
            .. _entries.Where(e =>
                e.FirstName.StartsWith(first, StringComparison.OrdinalIgnoreCase)
                && e.LastName.StartsWith(last, StringComparison.OrdinalIgnoreCase)
                && e.Telephone.StartsWith(digits, StringComparison.Ordinal)),
        ];
    }

    /// <summary>The name a phone shows: "Last, First" as in CUCM's directory, or whichever part is set.</summary>
    public static string DisplayName(PhoneDirectoryEntry entry) =>
        (entry.LastName.Length, entry.FirstName.Length) switch
        {
            ( > 0, > 0) => $"{entry.LastName}, {entry.FirstName}",
            ( > 0, _) => entry.LastName,
            _ => entry.FirstName,
        };
}
