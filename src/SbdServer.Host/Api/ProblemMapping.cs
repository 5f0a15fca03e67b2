using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;

namespace SbdServer.Host.Api;

/// <summary>
/// The one mapping from a domain refusal to an RFC 9457 problem (<c>application/problem+json</c>): status, a stable
/// <c>type</c> per kind of refusal, a short <c>title</c> and the refusal's own reason as <c>detail</c>. The admin pages
/// show the same reason (the exception's message); docs/runbook.md lists the types.
/// </summary>
internal static class ProblemMapping
{
    public const string TypePrefix = "urn:sbdserver:problem:";

    public static ProblemDetails For(DomainException exception, HttpContext context)
    {
        var (status, kind, title) = exception switch
        {
            NotFoundException => (StatusCodes.Status404NotFound, "not-found", "Not found"),
            ConfirmationRequiredException => (StatusCodes.Status409Conflict, "confirmation-required", "Confirmation required"),
            ClusterBusyException => (StatusCodes.Status409Conflict, "cluster-busy", "Cluster busy"),
            VersionMismatchException => (StatusCodes.Status412PreconditionFailed, "changed-since-loaded", "Changed since loaded"),
            WriteConflictException => (StatusCodes.Status409Conflict, "changed-meanwhile", "Changed meanwhile"),
            ConflictException => (StatusCodes.Status409Conflict, "conflict", "Conflict"),
            WrongPasswordException => (StatusCodes.Status400BadRequest, "wrong-password", "Wrong password"),
            RequestTooLargeException => (StatusCodes.Status413PayloadTooLarge, "too-large", "Request too large"),
            InvalidInputException => (StatusCodes.Status400BadRequest, "invalid-input", "Bad request"),
            _ => (StatusCodes.Status400BadRequest, "refused", "Refused"),
        };
        var problem = Problem(status, kind, title, exception.Message, context);
        if (exception is ConfirmationRequiredException confirmation)
        {
            // Clients read the impact report's fields at the top level (requiresConfirmation, groups, devices ...).
            var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            foreach (var property in JsonSerializer.SerializeToElement(confirmation.Report, options).EnumerateObject())
            {
                problem.Extensions[property.Name] = property.Value;
            }
        }

        if (exception is RequestTooLargeException tooLarge)
        {
            problem.Extensions["limitBytes"] = tooLarge.LimitBytes;
        }

        return problem;
    }

    /// <summary>A request the framework refused before any endpoint ran (unreadable query, route or body).</summary>
    public static ProblemDetails ForUnreadableRequest(int status, HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return status switch
        {
            StatusCodes.Status413PayloadTooLarge => Problem(status, "too-large", "Request too large",
                limit is { } bytes
                    ? $"The request body is larger than this route accepts (at most {bytes} bytes); nothing was changed."
                    : "The request body is larger than this route accepts; nothing was changed.",
                context),
            StatusCodes.Status415UnsupportedMediaType => Problem(status, "unsupported-media-type", "Unsupported media type",
                "Send the body as JSON (Content-Type application/json).", context),
            StatusCodes.Status408RequestTimeout => Problem(status, "timeout", "Request timeout",
                "The request body did not arrive in time; send it again.", context),
            _ => Problem(StatusCodes.Status400BadRequest, "invalid-input", "Bad request",
                "The request could not be read: a query value, a route value or the body does not have the form this route " +
                "takes (the API is described at /openapi/v1.json).",
                context),
        };
    }

    private static ProblemDetails Problem(int status, string kind, string title, string detail, HttpContext context) => new()
    {
        Type = TypePrefix + kind,
        Title = title,
        Status = status,
        Detail = detail,
        Instance = context.Request.Path.Value,
    };
}
