using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Devices;
using SbdServer.Core.Diagnostics;
using SbdServer.Core.PhoneServices;

namespace SbdServer.PhoneServices.Authentication;

/// <summary>
/// <c>/ccmcip/authenticate.jsp</c>: a phone (or an application pushing to it) sends <c>UserID</c>, <c>Password</c>
/// and <c>devicename</c> in the query or a form body; the answer is the plain text <c>AUTHORIZED</c>,
/// <c>UN-AUTHORIZED</c> or <c>ERROR</c>, as CUCM's. Unknown devices and wrong passwords look the same.
/// </summary>
internal sealed class AuthenticateEndpoint(
    IPhoneUserAuthenticator authenticator,
    IDeviceStore devices,
    FailedAuthenticationLimiter limiter,
    PeerWarningLimiter warnings,
    ILogger logger)
{
    public const string Authorized = "AUTHORIZED";
    public const string Unauthorized = "UN-AUTHORIZED";
    public const string Error = "ERROR";

    /// <summary>Peer-warning kind of "refused for an address over the failed-attempt limit" (event 7004).</summary>
    public const string BlockedKind = "auth_blocked";

    private const int MaxUserLength = 128;
    private const int MaxPasswordLength = 256;
    private const int MaxDeviceLength = 64;

    private static readonly FormOptions FormLimits = new()
    {
        ValueCountLimit = 16,
        KeyLengthLimit = 64,
        ValueLengthLimit = 1024,
        BufferBody = false,
    };

    public async Task HandleAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        var remoteText = remote.ToString();
        if (limiter.IsBlocked(remote, out var retryAfter, out var failures))
        {
            if (warnings.ShouldLog(BlockedKind, remote))
            {
                PhoneServicesLog.AuthenticationRateLimited(logger, remoteText, failures);
            }

            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                .ToString(System.Globalization.CultureInfo.InvariantCulture);
            await AnswerAsync(context, StatusCodes.Status429TooManyRequests, Error);
            return;
        }

        IFormCollection? form = null;
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            try
            {
                form = await context.Request.ReadFormAsync(FormLimits, context.RequestAborted);
            }
            catch (InvalidDataException)
            {
                // Form limits (too many fields, a field too long): a malformed request, not a failed login.
                await AnswerAsync(context, StatusCodes.Status400BadRequest, Error);
                return;
            }
            catch (BadHttpRequestException ex)
            {
                // A chunked body over the route's size limit (413) or a broken one: refused, not a failed login.
                await AnswerAsync(context, ex.StatusCode, Error);
                return;
            }
        }

        var user = Field(context, form, "UserID");
        var password = Field(context, form, "Password");
        var device = Field(context, form, "devicename");
        if (string.IsNullOrEmpty(user) || password is null
            || user.Length > MaxUserLength || password.Length > MaxPasswordLength || device?.Length > MaxDeviceLength)
        {
            LogResult(user, device, remoteText, Error);
            await AnswerAsync(context, StatusCodes.Status200OK, Error);
            return;
        }

        var credentialsOk = authenticator.Check(user, password);
        bool deviceOk;
        try
        {
            deviceOk = await DeviceExistsAsync(device, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Fail closed: without the device table nobody is authorised, and the phone learns nothing else.
            var deviceText = Printable(device);
            PhoneServicesLog.DeviceLookupFailed(logger, ex, deviceText);
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, Error);
            return;
        }

        var result = credentialsOk && deviceOk ? Authorized : Unauthorized;
        if (result == Unauthorized)
        {
            limiter.RecordFailure(remote);
        }

        LogResult(user, device, remoteText, result);
        await AnswerAsync(context, StatusCodes.Status200OK, result);
    }

    // The password is never logged; user and device are peer text, so they are bounded and made printable.
    private void LogResult(string? user, string? device, string remote, string result)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var userText = Printable(user);
            var deviceText = Printable(device);
            PhoneServicesLog.Authentication(logger, userText, deviceText, remote, result);
        }
    }

    private async Task<bool> DeviceExistsAsync(string? device, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(device))
        {
            return true;
        }

        return DeviceName.TryParse(device, out var name)
            && await devices.FindAsync(name.Value, cancellationToken) is not null;
    }

    private static string? Field(HttpContext context, IFormCollection? form, string name)
    {
        if (form is not null && form.TryGetValue(name, out var fromForm))
        {
            return fromForm.Count == 1 ? fromForm[0] : null;
        }

        return context.Request.Query.TryGetValue(name, out var fromQuery) && fromQuery.Count == 1 ? fromQuery[0] : null;
    }

    /// <summary>Peer text for the log: one escaping rule (<see cref="LogText"/>), bounded to 64 characters.</summary>
    private static string Printable(string? value) => string.IsNullOrEmpty(value) ? "-" : LogText.Escape(value, 64);

    private static async Task AnswerAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
