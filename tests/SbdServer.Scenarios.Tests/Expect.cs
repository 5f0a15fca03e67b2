using SbdServer.Phone;
using Xunit;

namespace SbdServer.Scenarios.Tests;

/// <summary>Assertions on what a phone ended up believing, with its console log in the failure message.</summary>
public static class Expect
{
    public const string Locked = "Trust List Update Failed";

    public static void Accepted(PhoneBootResult boot, string status, string because)
    {
        Assert.True(boot.Outcome == BootOutcome.Accepted && boot.Status == status,
            $"{because}: expected '{status}' (accepted), got '{boot.Status}' ({boot.Outcome})\n{string.Join('\n', boot.Log)}");
    }

    /// <summary>Accepted with whatever status (a boot whose ITL may or may not be new bytes).</summary>
    public static void Accepted(PhoneBootResult boot, string because) =>
        Assert.True(boot.Outcome == BootOutcome.Accepted, $"{because}: got '{boot.Status}' ({boot.Outcome})\n{string.Join('\n', boot.Log)}");

    public static void TrustFailed(PhoneBootResult boot, string status, string because)
    {
        Assert.True(boot.Outcome == BootOutcome.TrustFailed && boot.Status == status,
            $"{because}: expected '{status}' (trust failure), got '{boot.Status}' ({boot.Outcome})\n{string.Join('\n', boot.Log)}");
    }

    /// <summary>The planner's verdict before the change must be what the phone then did.</summary>
    public static void PlannerAgrees(IReadOnlyDictionary<string, Verdict> plan, ScenarioPhone phone, PhoneBootResult boot)
    {
        Assert.True(plan.TryGetValue(phone.Name, out var verdict), $"the plan has no verdict for {phone.Name}");
        Assert.True(verdict.KeepsTrust == (boot.Outcome == BootOutcome.Accepted),
            $"planner said {(verdict.KeepsTrust ? "keeps trust" : "loses trust")} for {phone.Name} ({verdict.Reason}), " +
            $"but the phone ended with '{boot.Status}' ({boot.Outcome})\n{string.Join('\n', boot.Log)}");
    }

    /// <summary>The phone asked no TVS server (it verified everything from its own lists).</summary>
    public static void NoTvs(PhoneBootResult boot, string because) =>
        Assert.True(boot.TvsAnswered.Count == 0, $"{because}: TVS answered ({string.Join(", ", boot.TvsAnswered)})\n{string.Join('\n', boot.Log)}");

    /// <summary>The TVS servers whose answers the phone used, in order.</summary>
    public static void TvsAnswered(PhoneBootResult boot, string because, params string[] servers) =>
        Assert.True(boot.TvsAnswered.SequenceEqual(servers),
            $"{because}: expected TVS {string.Join(", ", servers)}, got [{string.Join(", ", boot.TvsAnswered)}]\n{string.Join('\n', boot.Log)}");
}
