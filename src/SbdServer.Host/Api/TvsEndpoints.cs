using SbdServer.Core.Errors;
using SbdServer.Core.Tvs;
using SbdServer.Wire.Itl;

namespace SbdServer.Host.Api;

/// <summary><c>/api/tvs/queries</c>: what a phone asked TVS and what TVS answered, newest first.</summary>
internal static class TvsEndpoints
{
    public static RouteGroupBuilder MapTvsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/tvs/queries", (TvsQueryLog log, string? device, string? max) =>
        {
            if (device is { Length: > 64 })
            {
                throw new InvalidInputException("Query parameter 'device' is at most 64 characters (e.g. CP-7962-SEP0011215A1AE3).");
            }

            var records = log.Recent(string.IsNullOrWhiteSpace(device) ? null : device.Trim(), QueryFlags.Int(max, "max", 100, 1, 1000));
            return Results.Ok(records.Select(r => new
            {
                r.At,
                r.RemoteAddress,
                r.DeviceName,
                Command = r.Command.ToString(),
                r.CertificateSha256,
                r.SubjectName,
                r.IssuerName,
                r.SerialHex,
                Status = r.Status.ToString(),
                Outcome = r.Outcome.ToString(),
                Roles = r.Roles.Select(TrustRoles.DisplayName),
                r.TtlSeconds,
                r.DurationMilliseconds,
            }));
        }).WithTags("TVS");
        return api;
    }
}
