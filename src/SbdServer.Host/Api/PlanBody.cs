using System.Text.Json.Serialization;

namespace SbdServer.Host.Api;

/// <summary>Body of <c>POST /api/plan</c>: <c>{"changes":[...]}</c>; unknown fields are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record PlanBody(IReadOnlyList<PlanChangeBody?>? Changes);
