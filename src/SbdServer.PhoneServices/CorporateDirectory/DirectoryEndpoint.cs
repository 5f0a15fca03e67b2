using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace SbdServer.PhoneServices.CorporateDirectory;

/// <summary>
/// <c>/ccmcip/xmldirectory.jsp</c> and <c>/ccmcip/xmldirectorylist.jsp</c>: without search parameters the search form,
/// with any of <c>f</c>, <c>l</c>, <c>n</c> (or <c>start</c>) a page of at most 32 matches.
/// </summary>
internal sealed class DirectoryEndpoint(PhoneDirectory directory, Func<string> baseUrl)
{
    public const string FormPath = "/ccmcip/xmldirectory.jsp";
    public const string ListPath = "/ccmcip/xmldirectorylist.jsp";

    private const int MaxCriterionLength = 64;

    public async Task HandleAsync(HttpContext context, bool alwaysList)
    {
        var query = context.Request.Query;
        var isSearch = alwaysList || query.ContainsKey("f") || query.ContainsKey("l") || query.ContainsKey("n")
            || query.ContainsKey("start");
        if (!isSearch)
        {
            await WriteXmlAsync(context, DirectoryXml.SearchForm(baseUrl() + ListPath));
            return;
        }

        var first = Single(query, "f");
        var last = Single(query, "l");
        var number = Single(query, "n");
        var startText = Single(query, "start");
        if (first is null || last is null || number is null || startText is null)
        {
            await BadRequestAsync(context, "Each of f, l, n and start may be given once.");
            return;
        }

        if (first.Length > MaxCriterionLength || last.Length > MaxCriterionLength || number.Length > MaxCriterionLength)
        {
            await BadRequestAsync(context, $"Search text is limited to {MaxCriterionLength} characters.");
            return;
        }

        var start = 1;
        if (startText.Length > 0
            && (!int.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start < 1))
        {
            await BadRequestAsync(context, "start must be a positive record number.");
            return;
        }

        var matches = directory.Search(first, last, number);
        var skip = Math.Min(start - 1, matches.Count);
        var page = matches.Skip(skip).Take(PhoneServicesOptions.MaxEntriesPerPage).ToArray();
        string? next = null;
        if (skip + page.Length < matches.Count)
        {
            next = baseUrl() + ListPath
                + $"?f={Uri.EscapeDataString(first)}&l={Uri.EscapeDataString(last)}&n={Uri.EscapeDataString(number)}"
                + $"&start={(skip + page.Length + 1).ToString(CultureInfo.InvariantCulture)}";
        }

        await WriteXmlAsync(context, DirectoryXml.Results(page, skip + 1, matches.Count, next));
    }

    /// <summary>The value of a parameter given at most once: "" when absent, null when repeated.</summary>
    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.Count == 1 ? values[0] ?? "" : null : "";

    private static async Task WriteXmlAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task BadRequestAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }
}
