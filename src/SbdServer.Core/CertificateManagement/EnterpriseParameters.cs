using SbdServer.Core.Cluster;
using SbdServer.Core.Errors;
using SbdServer.Core.Events;
using SbdServer.Core.Parameters;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.CertificateManagement;

/// <summary>Enterprise parameters; setting one that changes the ITL resets phones by the same rule as a certificate change.</summary>
public sealed class EnterpriseParameters(SecurityUnitOfWork unit, DeviceImpact impact)
{
    public async Task<string> GetParameterAsync(string name, CancellationToken cancellationToken) =>
        (await GetParameterEntryAsync(name, cancellationToken)).Value;

    /// <summary>
    /// The value and its version (the API's <c>ETag</c>, the parameter form's hidden field), read together. The two
    /// parameters kept on the cluster row share its version; a parameter left at its default is version 0.
    /// </summary>
    public async Task<(string Value, string Version)> GetParameterEntryAsync(string name, CancellationToken cancellationToken)
    {
        var definition = Lookups.RequireParameter(name);
        var state = await unit.LoadAsync(cancellationToken);
        return (ValueOf(state, definition.Name), ParameterVersion(state, definition.Name));
    }

    /// <summary>Every enterprise parameter's value and version by name, from one read of the state (the Parameters page).</summary>
    public async Task<IReadOnlyDictionary<string, (string Value, string Version)>> GetParameterEntriesAsync(CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        return EnterpriseParameterCatalog.All.ToDictionary(
            p => p.Name, p => (ValueOf(state, p.Name), ParameterVersion(state, p.Name)), StringComparer.Ordinal);
    }

    /// <summary>Every enterprise parameter by name, from one read of the state (the Parameters page shows them all).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetParametersAsync(CancellationToken cancellationToken)
    {
        var state = await unit.LoadAsync(cancellationToken);
        return EnterpriseParameterCatalog.All.ToDictionary(p => p.Name, p => ValueOf(state, p.Name), StringComparer.Ordinal);
    }

    private static string ValueOf(SecuritySnapshot state, string name)
    {
        var cluster = Lookups.RequireCluster(state);
        return name switch
        {
            EnterpriseParameterCatalog.ClusterSecurityMode => cluster.SecurityMode.ToString(),
            EnterpriseParameterCatalog.ItlSignerMode => cluster.ItlSignerMode == ItlSignerMode.ItlRecovery ? "ITLRecovery" : "CallManager",
            _ => state.ParameterValue(name),
        };
    }

    public Task<string> SetParameterAsync(string name, string? value, string actor, CancellationToken cancellationToken) =>
        SetParameterAsync(name, value, actor, null, cancellationToken);

    /// <param name="version">The version (<see cref="GetParameterEntryAsync"/>) the change was made on, or null.</param>
    public Task<string> SetParameterAsync(string name, string? value, string actor, string? version, CancellationToken cancellationToken)
    {
        var definition = Lookups.RequireParameter(name);
        if (value is null)
        {
            throw new InvalidInputException("The body must be {\"value\": \"...\"} with a string value.");
        }

        var normalized = definition.Normalize(value)
            ?? throw new InvalidInputException($"'{UserText.Echo(value)}' is not allowed for {definition.Name}; use {definition.Allowed}.");

        return unit.RunAsync(async (state, changes, ct) =>
        {
            var cluster = Lookups.RequireCluster(state);
            VersionToken.Require(version, ParameterVersion(state, definition.Name), $"Enterprise parameter {definition.Name}");
            var before = ItlContent.Fingerprints(state);
            var now = unit.Time.GetUtcNow();
            switch (definition.Name)
            {
                case EnterpriseParameterCatalog.ClusterSecurityMode:
                    var previousMode = cluster.SecurityMode;
                    cluster.SecurityMode = Enum.Parse<SecurityMode>(normalized);
                    changes.Updated.Add(cluster);
                    CtlUpdates.OnSecurityModeChanged(changes, state, previousMode, cluster.SecurityMode, now);
                    break;
                case EnterpriseParameterCatalog.ItlSignerMode:
                    cluster.ItlSignerMode = normalized == "ITLRecovery" ? ItlSignerMode.ItlRecovery : ItlSignerMode.CallManager;
                    cluster.ItlResetSince = null; // a reset belongs to the mode it was started in
                    changes.Updated.Add(cluster);
                    break;
                default:
                    var existing = state.Parameters.FirstOrDefault(p => p.Name == definition.Name);
                    if (existing is null)
                    {
                        changes.Added.Add(new EnterpriseParameter { Name = definition.Name, Value = normalized, UpdatedAt = now });
                    }
                    else
                    {
                        existing.Value = normalized;
                        existing.UpdatedAt = now;
                        changes.Updated.Add(existing);
                    }

                    break;
            }

            changes.Audit.Add(unit.Audit(actor, "parameter.set", definition.Name, normalized));
            changes.Changes.Add(unit.Change(CertificateStoreChangeKind.ParameterChanged, null, definition.Name, null));
            var after = state with { Parameters = [.. state.Parameters, .. changes.Added.OfType<EnterpriseParameter>()] };
            impact.RequestResets(changes, before, after, await impact.DevicesAsync(ct), actor, $"{definition.Name} set to {normalized}");
            return normalized;
        }, cancellationToken);
    }

    private static string ParameterVersion(SecuritySnapshot state, string name) => name switch
    {
        EnterpriseParameterCatalog.ClusterSecurityMode or EnterpriseParameterCatalog.ItlSignerMode =>
            VersionToken.Of(state.Cluster?.Version ?? 0),
        _ => VersionToken.Of(state.Parameters.FirstOrDefault(p => p.Name == name)?.Version ?? 0),
    };
}
