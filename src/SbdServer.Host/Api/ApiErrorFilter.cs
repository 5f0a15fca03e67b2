using SbdServer.Core.Certificates;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Impact;
using SbdServer.Core.Storage;

namespace SbdServer.Host.Api;

/// <summary>Maps domain refusals to HTTP in one place: 400 with the reason, 404, 409 with the impact report, 409 when another node holds the write lock.</summary>
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
    }
}
