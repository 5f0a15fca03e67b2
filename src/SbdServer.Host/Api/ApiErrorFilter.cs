using System.Data.Common;
using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.Impact;
using SbdServer.Core.Storage;

namespace SbdServer.Host.Api;

/// <summary>
/// Maps domain refusals to HTTP in one place: 400 with the reason, 404, 409 with the impact report, 409 when another node
/// holds the write lock or changed the record since it was read, 412 when <c>If-Match</c> names a version the record
/// has moved on from, 503 when the database fails.
/// </summary>
internal sealed class ApiErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ConfirmationRequiredException ex)
        {
            return Results.Json(ex.Report, statusCode: StatusCodes.Status409Conflict);
        }
        catch (ClusterBusyException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Cluster busy");
        }
        catch (VersionMismatchException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since loaded");
        }
        catch (WriteConflictException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Changed meanwhile");
        }
        catch (NotFoundException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (CertificateStoreException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }
        catch (CertificateImportException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
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
                title: "Database unavailable");
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
