using SbdServer.Core.Errors;
using SbdServer.Core.Impact;

namespace SbdServer.Host.Api;

/// <summary><c>POST /api/plan</c>: what a proposed change would do to every phone, before it is made. Read-only.</summary>
internal static class PlanEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapPlanEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/plan", async (HttpRequest request, ChangePlanService planner, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadJsonAsync<PlanBody>(request, MaxBodyBytes, "plan", ct);
            var entries = body.Changes ?? throw new InvalidInputException("Field 'changes' is required: {\"changes\":[...]}.");
            if (entries.Count > ChangePlanner.MaxChanges)
            {
                throw new InvalidInputException($"The plan holds {entries.Count} changes; the limit is {ChangePlanner.MaxChanges}.");
            }

            var changes = entries
                .Select((e, i) => (e ?? throw new InvalidInputException($"changes[{i}] must be an object.")).ToChange(i))
                .ToList();
            return Results.Ok(await planner.PlanAsync(changes, ct));
        }).WithTags("Plan");

        return api;
    }
}
