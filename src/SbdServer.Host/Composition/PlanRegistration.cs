using SbdServer.Core.Impact;

namespace SbdServer.Host.Composition;

/// <summary>The change planner (<c>POST /api/plan</c>) and the device list it and the certificate routes evaluate.</summary>
internal static class PlanRegistration
{
    public static IServiceCollection AddSbdPlanner(this IServiceCollection services)
    {
        services.AddSingleton<IPlanDeviceSource, PlanDeviceSource>();
        services.AddSingleton<ChangePlanService>();
        return services;
    }
}
