using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace SbdServer.Host.Api;

/// <summary>
/// Answers a request the framework could not read or bind (a query value that is not a number, a body over the route's
/// size limit, a form cut short) with the status and a reason in the user's terms: problem+json for the API, a short
/// page for the admin UI (a browser form post). The framework's own text names .NET types and parameters, so it goes
/// to the debug log only.
/// </summary>
internal sealed class UnreadableRequestHandler(IProblemDetailsService problems, ILogger<UnreadableRequestHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        HostLog.RequestUnreadable(logger, bad.StatusCode, bad);
        return await WriteAsync(httpContext, bad.StatusCode, problems, exception, cancellationToken);
    }

    /// <summary>
    /// Refuses, before anything reads it, a body whose declared length is over the endpoint's size limit: the form
    /// readers of the admin pages would otherwise turn Kestrel's 413 into a bare 400.
    /// </summary>
    public static async Task RefuseDeclaredOversizeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit
            && context.Request.ContentLength > limit)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                context.RequestServices.GetRequiredService<IProblemDetailsService>(), null, context.RequestAborted);
            return;
        }

        await next(context);
    }

    private static async Task<bool> WriteAsync(
        HttpContext httpContext, int status, IProblemDetailsService problems, Exception? exception, CancellationToken cancellationToken)
    {
        var problem = ProblemMapping.ForUnreadableRequest(status, httpContext);
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        if (httpContext.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase))
        {
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            await httpContext.Response.WriteAsync(
                $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(problem.Title)}</title></head>" +
                $"<body><h1>{WebUtility.HtmlEncode(problem.Title)}</h1><p role=\"alert\">{WebUtility.HtmlEncode(problem.Detail)}</p>" +
                "<p><a href=\"/admin\">Back to the admin pages</a></p></body></html>",
                cancellationToken);
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
