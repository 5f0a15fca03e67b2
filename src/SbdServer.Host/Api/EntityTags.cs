using Microsoft.Net.Http.Headers;
using SbdServer.Core.Errors;

namespace SbdServer.Host.Api;

/// <summary>
/// <c>ETag</c> and <c>If-Match</c> (RFC 9110 sections 8.8.3 and 13.1.1) over the version tokens of Core: the tag is the
/// token in quotes, compared strongly, so a weak tag never matches.
/// </summary>
internal static class EntityTags
{
    public static void Set(HttpResponse response, string? version)
    {
        if (version is not null)
        {
            response.Headers.ETag = "\"" + version + "\"";
        }
    }

    /// <summary>
    /// The version the client read, from <c>If-Match</c>: null when it sent none or <c>*</c> (any current version); a
    /// token no row has when it sent only weak tags, so the change is refused with 412.
    /// </summary>
    public static string? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags) || tags.Count == 0)
        {
            throw new InvalidInputException("If-Match must be the ETag of the version you loaded, in quotes, or *.");
        }

        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return null;
        }

        var strong = tags.Where(t => !t.IsWeak).Select(t => t.Tag.ToString().Trim('"')).Distinct(StringComparer.Ordinal).ToList();
        return strong.Count switch
        {
            0 => "",
            1 => strong[0],
            _ => throw new InvalidInputException("If-Match names several versions; send the one ETag you loaded."),
        };
    }
}
