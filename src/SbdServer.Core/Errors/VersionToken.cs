using System.Globalization;

namespace SbdServer.Core.Errors;

/// <summary>
/// The opaque text that names one version of one row: the API's <c>ETag</c> (in quotes) and the admin forms' hidden
/// field. It carries the row's id as well, so a device deleted and created again under the same name never matches a
/// tag taken from the old one. It sits with the refusal it produces (<see cref="VersionMismatchException"/>) so that
/// the model's views (devices) can name their version without reaching up to the storage layer.
/// </summary>
public static class VersionToken
{
    public static string Of(Guid id, long version) =>
        id.ToString("N", CultureInfo.InvariantCulture) + "." + version.ToString(CultureInfo.InvariantCulture);

    /// <summary>For a row that may not exist yet (an enterprise parameter left at its default is version 0).</summary>
    public static string Of(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Refuses a change whose caller read <paramref name="expected"/> (null: the caller did not say) when the row is
    /// now at <paramref name="current"/>.
    /// </summary>
    public static void Require(string? expected, string current, string what)
    {
        if (expected is not null && !string.Equals(expected, current, StringComparison.Ordinal))
        {
            throw new VersionMismatchException(WriteConflictException.ChangedSinceLoaded(what));
        }
    }
}
