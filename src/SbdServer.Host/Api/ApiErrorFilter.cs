using System.Data.Common;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Errors;

namespace SbdServer.Host.Api;

/// <summary>
/// Turns a domain refusal into its problem (<see cref="ProblemMapping"/>) and a database failure into 503, for every
/// API endpoint.
/// </summary>
internal sealed class ApiErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DomainException ex)
        {
            return Results.Problem(ProblemMapping.For(ex, context.HttpContext));
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel refusing a body while the endpoint reads it (over the route's size limit, too slow).
            return Results.Problem(ProblemMapping.ForUnreadableRequest(ex.StatusCode, context.HttpContext));
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            // The provider's message can name hosts, ports or files: it goes to the log, the caller gets what to do.
            var http = context.HttpContext;
            var path = LogText.Escape(http.Request.Path.Value);
            var method = LogText.Escape(http.Request.Method, 16);
            HostLog.DatabaseFailed(http.RequestServices.GetRequiredService<ILogger<ApiErrorFilter>>(), method, path, ex);
            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(
                "The cluster database could not be reached or failed the request, so it was not completed. TFTP keeps " +
                "serving what each node has loaded. Retry when the database is back; the server log has the cause.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Database unavailable",
                type: ProblemMapping.TypePrefix + "database-unavailable");
        }
    }

    /// <summary>A provider exception anywhere in the chain (EF Core wraps them, e.g. in DbUpdateException).</summary>
    internal static bool IsDatabaseFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DbException)
            {
                return true;
            }
        }

        return false;
    }
}
