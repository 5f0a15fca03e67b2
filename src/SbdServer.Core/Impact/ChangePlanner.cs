using System.ComponentModel.DataAnnotations;
using SbdServer.Core.CertificateStore;
using SbdServer.Core.Cluster;
using SbdServer.Core.Devices;
using SbdServer.Core.Errors;
using SbdServer.Core.Nodes;
using SbdServer.Core.Parameters;
using SbdServer.Core.Provisioning;
using SbdServer.Core.Storage;

namespace SbdServer.Core.Impact;

/// <summary>
/// Per device: would a proposed change (certificate regenerations, host renames, rollback / signer mode / signature
/// algorithm parameters) leave the phone trusting the cluster, and why (cucm-reference 4.2). The group rule (signer and
/// TVS) is <see cref="ImpactAnalyzer"/>'s; this adds the parameters, the phone model and what the TFTP served-file
/// records say about the ITL each phone holds. The rules are documented in docs/runbook.md ("Change planner and
/// automatic reset").
/// </summary>
public static class ChangePlanner
{
    public const int MaxChanges = 100;

    /// <summary>Certificates a plan may regenerate.</summary>
    public static IReadOnlyList<string> Certificates { get; } =
        [CertificateStores.CallManager, CertificateStores.Tvs, CertificateStores.Capf, CertificateStores.ItlRecovery, CertificateStores.Tomcat];

    /// <summary>Parameters a plan may set: the ones that change what phones trust.</summary>
    public static IReadOnlyList<string> Parameters { get; } =
    [
        EnterpriseParameterCatalog.PrepareClusterForRollbackToPre80,
        EnterpriseParameterCatalog.ItlSignerMode,
        EnterpriseParameterCatalog.TftpFileSignatureAlgorithm,
        EnterpriseParameterCatalog.ClusterSecurityMode,
    ];

    /// <summary>Evaluates <paramref name="changes"/> for every device; throws <see cref="InvalidInputException"/> for bad input.</summary>
    public static ChangePlan Plan(SecuritySnapshot state, IReadOnlyList<PlannedDevice> devices, IReadOnlyList<ProposedChange> changes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(changes);
        return Evaluated(state, devices, changes).ToPlan();
    }

    private static Evaluation Evaluated(SecuritySnapshot state, IReadOnlyList<PlannedDevice> devices, IReadOnlyList<ProposedChange> changes)
    {
        var (input, report, warnings) = Analyzed(state, changes);
        return new Evaluation(Evaluate(state, devices, input, report), report.Groups, warnings);
    }

    // What a plan decides from, whether it then goes per device (Plan) or per population (PlanPopulations).
    private static (PlanInput Input, ImpactReport Report, List<string> Warnings) Analyzed(
        SecuritySnapshot state, IReadOnlyList<ProposedChange> changes)
    {
        var input = Resolve(state, changes);
        var report = ImpactAnalyzer.Analyze(state, input.Certificates, newSignerMode: input.SignerMode, newItlReset: input.ItlReset);
        return (input, report,
            [.. report.Warnings, .. ItlSizeWarnings(state, input.SignerMode ?? state.Cluster!.ItlSignerMode, input.Replacements).Select(s => s.Warning),
                .. CtlWarnings(state, input)]);
    }

    /// <summary>
    /// Adds the per-device outcome to the report of a certificate change (regenerate, signed upload, host change);
    /// <paramref name="replaced"/> says what replaces a certificate when its size differs (another key, an upload).
    /// </summary>
    public static ImpactReport Annotate(
        SecuritySnapshot state, IReadOnlyList<PlannedDevice> devices, ImpactReport report,
        IReadOnlyDictionary<Guid, CertificateReplacement>? replaced = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(report);
        var input = new PlanInput(report.Requested, null, null, null, null, null, replaced);
        var plans = Evaluate(state, devices, input, report);
        return report with
        {
            Devices = plans,
            Kept = plans.Count(p => p.KeepsTrust),
            Lost = plans.Count(p => !p.KeepsTrust),
            Warnings = [.. report.Warnings, .. CtlWarnings(state, input), .. DeviceWarnings(plans)],
        };
    }

    /// <summary>
    /// <see cref="Plan"/> for an impact page: the same totals, groups and warnings, decided once per population of
    /// <paramref name="populations"/> (counted by the database), with the device names left to
    /// <see cref="PopulationPlan.CompleteAsync"/>, which reads only the devices the page lists.
    /// </summary>
    public static PopulationPlan PlanPopulations(
        SecuritySnapshot state, IReadOnlyList<PopulationCount> populations, IReadOnlyList<ProposedChange> changes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(populations);
        ArgumentNullException.ThrowIfNull(changes);
        var (input, report, warnings) = Analyzed(state, changes);
        return Decided(state, populations, input, report, warnings, false);
    }

    /// <summary><see cref="Annotate"/> per population, as <see cref="PlanPopulations"/> is <see cref="Plan"/>.</summary>
    public static PopulationPlan AnnotatePopulations(
        SecuritySnapshot state, IReadOnlyList<PopulationCount> populations, ImpactReport report,
        IReadOnlyDictionary<Guid, CertificateReplacement>? replaced = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(populations);
        ArgumentNullException.ThrowIfNull(report);
        var input = new PlanInput(report.Requested, null, null, null, null, null, replaced);
        return Decided(state, populations, input, report, [.. report.Warnings, .. CtlWarnings(state, input)], report.RequiresConfirmation);
    }

    private static PopulationPlan Decided(
        SecuritySnapshot state, IReadOnlyList<PopulationCount> populations, PlanInput input, ImpactReport report,
        IReadOnlyList<string> warnings, bool requiresConfirmation)
    {
        var decide = Decider(state, input, report);
        var kept = 0;
        var atRisk = new List<PopulationCount>();
        var locked = new List<PopulationCount>();
        foreach (var population in populations)
        {
            var outcome = decide(population.Population);
            if (outcome.Keeps)
            {
                kept += population.Count;
            }
            else
            {
                (outcome.Kind == DeviceOutcome.AtRisk ? atRisk : locked).Add(population);
            }
        }

        return new PopulationPlan(
            kept, atRisk, locked, report.Groups, warnings, requiresConfirmation, (device, name) => decide(device).For(name));
    }

    /// <summary>
    /// Scenario 27 for a certificate change: when it grows a TFTP node's ITL over the 64 KB phones load (it was not
    /// over before), its phones cannot load the next ITL, a lock-out like any other, so the change needs confirmation;
    /// the size warning is added either way while an ITL is over.
    /// </summary>
    public static ImpactReport WithItlSize(
        SecuritySnapshot state, ImpactReport report, IReadOnlyDictionary<Guid, CertificateReplacement>? replaced)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(report);
        if (state.Cluster is null)
        {
            return report;
        }

        var over = ItlSizeWarnings(state, state.Cluster.ItlSignerMode, replaced).ToList();
        return over.Count == 0
            ? report
            : report with
            {
                Warnings = [.. report.Warnings, .. over.Select(o => o.Warning)],
                RequiresConfirmation = report.RequiresConfirmation || over.Any(o => o.Before <= PhoneModel.ItlLimitBytes),
            };
    }

    /// <summary>
    /// What restoring <paramref name="restored"/> over <paramref name="state"/> does to every device: each ITL-relevant
    /// certificate that differs (or whose key the restore repairs, <paramref name="repaired"/>) counts as regenerated,
    /// each planner parameter that differs as set. Phones of a TFTP node in <paramref name="unverifiable"/> (its
    /// CallManager restored without a matching key) cannot verify anything it signs.
    /// </summary>
    public static ChangePlan PlanRestore(
        SecuritySnapshot state, IReadOnlyList<PlannedDevice> devices, SecuritySnapshot restored,
        IReadOnlySet<string> unverifiable, IReadOnlySet<string> repaired)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(restored);
        ArgumentNullException.ThrowIfNull(unverifiable);
        ArgumentNullException.ThrowIfNull(repaired);
        var changes = new List<ProposedChange>();
        foreach (var identity in restored.Identities.Where(i => CertificateStores.ItlRelevant.Contains(i.Name)))
        {
            var node = restored.Nodes.FirstOrDefault(n => n.Id == identity.NodeId)?.Name;
            var currentNode = node is null ? null : state.FindNode(node);
            var now = currentNode is null ? null : state.FindIdentity(currentNode, identity.Name);
            if (now is not null
                && (!now.Der.AsSpan().SequenceEqual(identity.Der)
                    || (identity.Name == CertificateStores.CallManager && repaired.Contains(currentNode!.Name))))
            {
                changes.Add(ProposedChange.Regenerate(currentNode!.Name, identity.Name));
            }
        }

        if (restored.Cluster is { } archived)
        {
            // The signer and security modes live on the cluster row, not in the parameter table.
            foreach (var parameter in Parameters.Where(p => p is not (EnterpriseParameterCatalog.ClusterSecurityMode or EnterpriseParameterCatalog.ItlSignerMode)))
            {
                if (restored.ParameterValue(parameter) != state.ParameterValue(parameter))
                {
                    changes.Add(ProposedChange.SetParameter(parameter, restored.ParameterValue(parameter)));
                }
            }

            if (archived.SecurityMode != state.Cluster?.SecurityMode)
            {
                changes.Add(ProposedChange.SetParameter(EnterpriseParameterCatalog.ClusterSecurityMode, archived.SecurityMode.ToString()));
            }

            if (archived.ItlSignerMode != state.Cluster?.ItlSignerMode)
            {
                changes.Add(ProposedChange.SetParameter(
                    EnterpriseParameterCatalog.ItlSignerMode, archived.ItlSignerMode == ItlSignerMode.ItlRecovery ? "ITLRecovery" : "CallManager"));
            }

            if ((archived.ItlResetSince is null) != (state.Cluster?.ItlResetSince is null))
            {
                changes.Add(ProposedChange.ItlReset(archived.ItlResetSince is null ? "none" : "localkey"));
            }
        }

        var plan = changes.Count == 0
            ? Unchanged(state, devices)
            : Evaluated(state, devices, [.. changes.DistinctBy(c => (c.Kind, c.Node, c.Certificate, c.Parameter))]);
        if (unverifiable.Count == 0)
        {
            return plan.ToPlan();
        }

        var groups = state.EffectiveGroups();
        var plans = plan.Plans.Select(p =>
        {
            var group = groups.FirstOrDefault(g => string.Equals(g.Name, p.Group, StringComparison.OrdinalIgnoreCase));
            var tftp = group is null ? null : state.TftpNodeOf(group);
            return tftp is not null && unverifiable.Contains(tftp.Name) && p.Outcome != DeviceOutcome.ByModel
                ? p with
                {
                    Outcome = DeviceOutcome.Ordinary,
                    KeepsTrust = false,
                    ItlChanges = true,
                    Reason = $"locked: the CallManager certificate of {tftp.Name} would be restored without its key, and the key the node " +
                        "signs with does not match it, so the phone can verify neither its ITL nor its config (CSCtn50405)",
                }
                : p;
        }).ToList();
        // The "at risk" line stays as evaluated; every device locked now (at risk or not) is in the "lose trust" line.
        var locked = plans.Where(p => !p.KeepsTrust).Select(p => p.Name).ToList();
        return new ChangePlan(plans, plans.Count(p => p.KeepsTrust), locked.Count, plan.Groups,
            [.. plan.Warnings, .. AtRiskWarning(plan.Plans), .. LockedWarning(locked)]);
    }

    // A restore that changes nothing phones trust: every device keeps what it holds.
    private static Evaluation Unchanged(SecuritySnapshot state, IReadOnlyList<PlannedDevice> devices)
    {
        var report = ImpactAnalyzer.Analyze(state, []);
        return new Evaluation(Evaluate(state, devices, new PlanInput([], null, null, null, null, null), report), report.Groups, report.Warnings);
    }

    private static PlanInput Resolve(SecuritySnapshot state, IReadOnlyList<ProposedChange> changes)
    {
        if (state.Cluster is null)
        {
            throw new InvalidInputException("The cluster has not been created yet.");
        }

        if (changes.Count == 0)
        {
            throw new InvalidInputException("The change list is empty; give at least one change.");
        }

        if (changes.Count > MaxChanges)
        {
            throw new InvalidInputException($"The plan holds {changes.Count} changes; the limit is {MaxChanges}.");
        }

        var certificates = new List<CertificateChange>();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var replacements = new Dictionary<Guid, CertificateReplacement>();
        bool? itlReset = null;
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i] ?? throw new InvalidInputException($"changes[{i}] is null.");
            var at = $"changes[{i}]";
            switch (change.Kind)
            {
                case ProposedChangeKind.Regenerate:
                    {
                        var node = RequireNode(state, change.Node, at);
                        var name = Certificates.FirstOrDefault(c => string.Equals(c, change.Certificate, StringComparison.OrdinalIgnoreCase))
                            ?? throw new InvalidInputException(
                                $"{at}: '{UserText.Echo(change.Certificate ?? "")}' is not a certificate the planner evaluates; use one of {string.Join(", ", Certificates)}.");
                        if (state.FindIdentity(node, name) is null)
                        {
                            throw new InvalidInputException($"{at}: node {node.Name} has no {name} certificate.");
                        }

                        certificates.Add(new CertificateChange(node.Name, name));
                        var identity = state.FindIdentity(node, name)!;
                        if (change.Key is { } key && key != identity.KeyAlgorithm)
                        {
                            if (replacements.TryGetValue(identity.Id, out var other) && other.Key != key)
                            {
                                throw new InvalidInputException($"{at}: {node.Name}/{name} is regenerated twice, with {other.Key} and {key}.");
                            }

                            replacements[identity.Id] = new CertificateReplacement(Key: key);
                        }

                        break;
                    }

                case ProposedChangeKind.Rename:
                    {
                        var node = RequireNode(state, change.Node, at);
                        CheckFqdn(change.Fqdn, at);

                        // Scenario 24: every identity certificate of the node is regenerated at once.
                        certificates.AddRange(state.Identities
                            .Where(c => c.NodeId == node.Id && CertificateStores.ItlRelevant.Contains(c.Name))
                            .Select(c => new CertificateChange(node.Name, c.Name)));
                        break;
                    }

                case ProposedChangeKind.Parameter:
                    {
                        var name = Parameters.FirstOrDefault(p => string.Equals(p, change.Parameter, StringComparison.OrdinalIgnoreCase))
                            ?? throw new InvalidInputException(
                                $"{at}: '{UserText.Echo(change.Parameter ?? "")}' is not a parameter the planner evaluates; use one of {string.Join(", ", Parameters)}.");
                        var definition = EnterpriseParameterCatalog.Find(name)!;
                        var value = (change.Value is null ? null : definition.Normalize(change.Value))
                            ?? throw new InvalidInputException(
                                $"{at}: '{UserText.Echo(change.Value ?? "")}' is not allowed for {name}; use {definition.Allowed}.");
                        if (parameters.TryGetValue(name, out var earlier) && earlier != value)
                        {
                            throw new InvalidInputException($"{at}: {name} is set twice, to {earlier} and to {value}.");
                        }

                        parameters[name] = value;
                        break;
                    }

                case ProposedChangeKind.ItlReset:
                    {
                        var reset = change.Value?.Trim().ToLowerInvariant() switch
                        {
                            "localkey" => true,
                            "none" => false,
                            _ => throw new InvalidInputException(
                                $"{at}: '{UserText.Echo(change.Value ?? "")}' is not an ITL reset; use localkey (start) or none (end, as restarting TFTP)."),
                        };
                        if (itlReset is { } earlier && earlier != reset)
                        {
                            throw new InvalidInputException($"{at}: the ITL reset is both started and ended.");
                        }

                        itlReset = reset;
                        break;
                    }

                default:
                    throw new InvalidInputException($"{at}: unknown kind of change.");
            }
        }

        return new PlanInput(
            [.. certificates.Distinct()],
            parameters.TryGetValue(EnterpriseParameterCatalog.ItlSignerMode, out var mode)
                ? mode == "ITLRecovery" ? ItlSignerMode.ItlRecovery : ItlSignerMode.CallManager
                : null,
            parameters.TryGetValue(EnterpriseParameterCatalog.PrepareClusterForRollbackToPre80, out var rollback) ? bool.Parse(rollback) : null,
            parameters.GetValueOrDefault(EnterpriseParameterCatalog.TftpFileSignatureAlgorithm),
            itlReset,
            parameters.TryGetValue(EnterpriseParameterCatalog.ClusterSecurityMode, out var security) ? Enum.Parse<SecurityMode>(security) : null,
            replacements);
    }

    private static List<DevicePlan> Evaluate(
        SecuritySnapshot state, IReadOnlyList<PlannedDevice> devices, PlanInput input, ImpactReport report)
    {
        var decide = Decider(state, input, report);
        var result = new List<DevicePlan>(devices.Count);
        foreach (var planned in devices.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            result.Add(decide(planned.Population).For(planned.Name));
        }

        return result;
    }

    /// <summary>
    /// The outcome for a population. A device's outcome depends only on its group, its model, the ITL it holds and
    /// whether its profile is secure (scenario 20's TLS registration), never on its name, so it is decided once per
    /// distinct combination and shared: a fleet of 10 000 phones has a handful of them, and the impact pages plan on
    /// each request (docs/benchmarks.md, admin pages).
    /// </summary>
    private static Func<DevicePopulation, Outcome> Decider(SecuritySnapshot state, PlanInput input, ImpactReport report)
    {
        var cluster = state.Cluster ?? throw new InvalidInputException("The cluster has not been created yet.");
        var currentMode = cluster.ItlSignerMode;
        var targetMode = input.SignerMode ?? currentMode;
        var rollbackNow = ItlContent.IsRollback(state);
        var rollbackAfter = input.Rollback ?? rollbackNow;
        var digestNow = state.ParameterValue(EnterpriseParameterCatalog.TftpFileSignatureAlgorithm);
        var digestAfter = input.Digest ?? digestNow;
        var resetNow = ItlContent.IsItlReset(state);
        var resetAfter = targetMode == ItlSignerMode.ItlRecovery && (input.ItlReset ?? cluster.ItlResetSince is not null);
        var groups = state.EffectiveGroups();

        // Mixed mode (scenario 19) adds a CTL signed by the ITL's own signer and turns the ITL's TFTP record into
        // CCM+TFTP: a new ITL for every phone, verified like any ITL whose signer stays.
        var securityChanges = input.SecurityMode is { } security && security != cluster.SecurityMode;

        var staleCallManagers = StaleCallManagers(state, input);

        var itlChangesByTftp = new Dictionary<Guid, bool>();
        var itlBytes = new Dictionary<Guid, int>();
        var outcomes = new Dictionary<(string Group, string Model, TrustFileState Itl, bool Secure), Outcome>();
        return population =>
        {
            var key = (population.CallManagerGroup, population.Model, population.ItlState, population.SecurityMode != DeviceSecurityMode.NonSecure);
            if (!outcomes.TryGetValue(key, out var outcome))
            {
                outcome = outcomes[key] = OutcomeOf(population);
            }

            return outcome;
        };

        Outcome OutcomeOf(DevicePopulation device)
        {
            var group = groups.FirstOrDefault(g => string.Equals(g.Name, device.CallManagerGroup, StringComparison.OrdinalIgnoreCase));
            var impact = group is null ? null : report.Groups.FirstOrDefault(g => g.Group == group.Name);
            var tftp = group is null ? null : state.TftpNodeOf(group);
            var size = 0;
            if (tftp is not null && !itlBytes.TryGetValue(tftp.Id, out size))
            {
                size = itlBytes[tftp.Id] = ItlContent.EstimatedBytes(state, tftp, targetMode, input.Replacements);
            }

            if (size > 0 && PhoneModels.TryGet(device.Model, out var limited) && limited.SupportsItl && size > limited.MaxItlBytes)
            {
                return new Outcome(false,
                    $"its ITL from {tftp!.Name} would be about {size} bytes, over the {limited.MaxItlBytes} bytes model {limited.Name} loads " +
                    "(Security Guide 14: more than 39 certificates): the phone fails to load it",
                    group!.Name, SignerText(impact?.ItlSigner), device.ItlState, true, DeviceOutcome.Ordinary);
            }

            var itlChanges = false;
            if (tftp is not null && !itlChangesByTftp.TryGetValue(tftp.Id, out itlChanges))
            {
                itlChanges = itlChangesByTftp[tftp.Id] = targetMode != currentMode
                    || securityChanges
                    || rollbackAfter != rollbackNow
                    || resetAfter != resetNow
                    || !string.Equals(digestAfter, digestNow, StringComparison.Ordinal)
                    || ItlContent.Certificates(state, tftp, currentMode).Concat(ItlContent.Certificates(state, tftp, targetMode))
                        .Any(c => Touched(state, c, input.Certificates));
            }

            var (keeps, reason, kind) = Decide(device, impact, itlChanges, rollbackNow, rollbackAfter, digestAfter);
            if (device.ItlState == TrustFileState.NeverFetched && impact is not null && kind != DeviceOutcome.ByModel)
            {
                reason += " (no ITL fetch recorded for it: assumed to hold the ITL served now)";
            }

            if (keeps && device.SecurityMode != DeviceSecurityMode.NonSecure && group is not null
                && group.NodeNames.Where(staleCallManagers.Contains).ToList() is { Count: > 0 } stale)
            {
                // Scenario 20: trust lists and config still verify, but the phone's TLS registration checks CallManager
                // against the CTL, which keeps the old certificate until the CTL update.
                reason += $"; but its TLS registration with {string.Join(", ", stale)} fails until the CTL update: the CTL lists the old " +
                    "CallManager certificate";
            }

            return new Outcome(keeps, reason, group?.Name ?? device.CallManagerGroup, SignerText(impact?.ItlSigner), device.ItlState, itlChanges, kind);
        }
    }

    private static (bool Keeps, string Reason, DeviceOutcome Outcome) Decide(
        DevicePopulation device, GroupImpact? impact, bool itlChanges, bool rollbackNow, bool rollbackAfter, string digestAfter)
    {
        var model = PhoneModels.TryGet(device.Model, out var known) ? known : null;
        if (model is { SupportsItl: false })
        {
            return (true, $"model {model.Name} does not use ITL files: not affected", DeviceOutcome.ByModel);
        }

        if (string.Equals(digestAfter, "SHA-512", StringComparison.Ordinal) && model is { SupportsSha512: false })
        {
            return (false, $"model {model.Name} cannot verify SHA-512 signatures (TftpFileSignatureAlgorithm = SHA-512): it rejects the signed files",
                DeviceOutcome.ByModel);
        }

        if (impact is null)
        {
            return (false, $"its CallManager group '{device.CallManagerGroup}' does not exist: no TFTP or TVS server is known for it", DeviceOutcome.Ordinary);
        }

        // Any state but "in sync" or "never fetched" (stale, or a mismatch the phone reported itself) means the phone
        // holds another ITL than the one the group rule assumes.
        var mismatched = device.ItlState is not (TrustFileState.InSync or TrustFileState.NeverFetched);
        if (mismatched && itlChanges)
        {
            return (false,
                "at risk: the ITL it last fetched or reported is not the one served now, so which certificates it trusts is unknown; " +
                "a phone already mismatched before a certificate change may not recover (scenario 29)",
                DeviceOutcome.AtRisk);
        }

        var signer = SignerText(impact.ItlSigner) ?? "none";
        if (rollbackNow)
        {
            return (true, "the rollback (blank) ITL is in place: the phone accepts any new ITL and config", DeviceOutcome.Ordinary);
        }

        if (impact.PhonesLocked)
        {
            var tvs = impact.TvsNodes.Count == 0
                ? "its group has no TVS server"
                : $"the TVS certificates of its group {{{string.Join(", ", impact.TvsNodes)}}} change too";
            var locked = $"locked: signer {signer} changes and {tvs}";
            return (false, rollbackAfter ? "rollback set too late: the phone cannot verify the blank ITL, so it has no effect; " + locked : locked,
                DeviceOutcome.Ordinary);
        }

        var via = impact.SignerChanges ? $" via TVS on {impact.TrustedTvsNodes[0]} (its TVS certificate is still in the phone's ITL)" : "";
        if (rollbackAfter)
        {
            return (true, $"rollback ITL accepted: signed by {signer} which the phone trusts{via}; the phone then accepts any file", DeviceOutcome.Ordinary);
        }

        if (impact.SignerChanges)
        {
            return (true, $"new signer {signer} verified{via}", DeviceOutcome.Ordinary);
        }

        var reason = $"ITL signer unchanged ({signer})";
        if (!itlChanges)
        {
            reason += "; its ITL does not change";
        }

        if (mismatched)
        {
            reason += " (it does not hold the ITL served now, as before the change)";
        }

        return (true, reason, DeviceOutcome.Ordinary);
    }

    /// <summary>
    /// Nodes whose CallManager certificate the CTL would list with an old certificate after the change: stale now, or
    /// regenerated by it while the cluster stays in mixed mode (the CTL is only rewritten by the CTL update).
    /// </summary>
    private static HashSet<string> StaleCallManagers(SecuritySnapshot state, PlanInput input)
    {
        var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var mixedNow = state.Cluster?.SecurityMode == SecurityMode.Mixed;
        var mixedAfter = (input.SecurityMode ?? state.Cluster?.SecurityMode) == SecurityMode.Mixed;
        if (!mixedNow || !mixedAfter)
        {
            return result; // entering mixed mode writes a fresh CTL; leaving it drops the CTL
        }

        foreach (var record in state.CtlCertificates.Where(c => c.Role == Wire.Itl.TrustRole.CcmTftp))
        {
            var node = state.Nodes.FirstOrDefault(n => n.Id == record.NodeId);
            var now = node is null ? null : state.FindIdentity(node, CertificateStores.CallManager);
            if (node is not null && now is not null && !string.Equals(now.Sha256, record.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                result.Add(node.Name);
            }
        }

        foreach (var change in input.Certificates.Where(c => c.Certificate == CertificateStores.CallManager))
        {
            result.Add(change.Node);
        }

        return result;
    }

    /// <summary>Scenario 20: what the CTL (mixed mode) will keep listing, said before the change and while it lasts.</summary>
    private static IEnumerable<string> CtlWarnings(SecuritySnapshot state, PlanInput input)
    {
        var mixedNow = state.Cluster?.SecurityMode == SecurityMode.Mixed;
        var mixedAfter = (input.SecurityMode ?? state.Cluster?.SecurityMode) == SecurityMode.Mixed;
        if (!mixedNow || !mixedAfter)
        {
            yield break;
        }

        var differences = CtlContent.Differences(state);
        if (differences.Count > 0)
        {
            yield return "The CTL is out of date: " + string.Join("; ", differences) + ". " + CtlContent.UpdateAdvice;
        }

        var listed = input.Certificates
            .Where(c => c.Certificate is CertificateStores.CallManager or CertificateStores.Capf or CertificateStores.ItlRecovery)
            .Select(c => c.Certificate == CertificateStores.ItlRecovery ? c.Certificate : $"{c.Certificate} of {c.Node}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (listed.Count > 0)
        {
            yield return $"In mixed mode the CTL keeps listing the old certificate of {string.Join(", ", listed)} after this change, " +
                "until the CTL update. " + CtlContent.UpdateAdvice;
        }
    }

    // Scenario 27: said before anything is built, not only logged (ItlOversized) after. Before is the size now.
    private static IEnumerable<(string Warning, int Before)> ItlSizeWarnings(
        SecuritySnapshot state, ItlSignerMode mode, IReadOnlyDictionary<Guid, CertificateReplacement>? replaced)
    {
        var after = ItlContent.TftpNodeSizes(state, mode, replaced);
        if (after.All(a => a.Bytes <= PhoneModel.ItlLimitBytes))
        {
            yield break;
        }

        var before = ItlContent.TftpNodeSizes(state, state.Cluster!.ItlSignerMode).ToDictionary(b => b.Node.Id, b => b.Bytes);
        foreach (var (node, size) in after.Where(a => a.Bytes > PhoneModel.ItlLimitBytes))
        {
            yield return (ItlSizeWarning(node.Name, size), before[node.Id]);
        }
    }

    /// <summary>How many device names a warning lists before "and N more".</summary>
    internal const int NamedInWarnings = 20;
    /// <summary>The warning for an ITL of <paramref name="bytes"/> bytes on <paramref name="node"/>, over what phones load.</summary>
    public static string ItlSizeWarning(string node, int bytes) =>
        $"The ITL of {node} would be about {bytes} bytes, over the {PhoneModel.ItlLimitBytes} bytes phones load (Security Guide 14: " +
        "more than 39 certificates); phones fail to load it. Keep the ITL smaller: fewer TVS or CAPF nodes, or smaller keys.";

    private static IEnumerable<string> DeviceWarnings(List<DevicePlan> plans) =>
        [.. AtRiskWarning(plans), .. LockedWarning([.. plans.Where(p => !p.KeepsTrust && p.Outcome != DeviceOutcome.AtRisk).Select(p => p.Name)])];

    private static IEnumerable<string> AtRiskWarning(List<DevicePlan> plans)
    {
        var atRisk = plans.Where(p => !p.KeepsTrust && p.Outcome == DeviceOutcome.AtRisk).Select(p => p.Name).ToList();
        return AtRiskWarning(atRisk, atRisk.Count);
    }

    /// <param name="first">The first names by name, at least <see cref="NamedInWarnings"/> of them when there are that many.</param>
    /// <param name="count">How many devices there are in all.</param>
    internal static IEnumerable<string> AtRiskWarning(IReadOnlyList<string> first, int count) =>
        count == 0 ? [] : [$"{count} device(s) hold an ITL older than the one served now and may not recover: {Names(first, count)}."];

    private static IEnumerable<string> LockedWarning(List<string> locked) => LockedWarning(locked, locked.Count);

    /// <inheritdoc cref="AtRiskWarning(IReadOnlyList{string}, int)"/>
    internal static IEnumerable<string> LockedWarning(IReadOnlyList<string> first, int count) =>
        count == 0 ? [] : [$"{count} device(s) would lose trust: {Names(first, count)}."];

    private static string Names(IReadOnlyList<string> first, int count) =>
        string.Join(", ", first.Take(NamedInWarnings)) + (count <= NamedInWarnings ? "" : $" and {count - NamedInWarnings} more");

    /// <summary>"CallManager of cucm-pub" for <c>cucm-pub/CallManager</c>; "ITLRecovery" stays.</summary>
    private static string? SignerText(string? label)
    {
        if (label is null)
        {
            return null;
        }

        var slash = label.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? label : $"{label[(slash + 1)..]} of {label[..slash]}";
    }

    private static bool Touched(SecuritySnapshot state, IdentityCertificate certificate, IReadOnlyList<CertificateChange> changes)
    {
        if (certificate.Name == CertificateStores.ItlRecovery)
        {
            return changes.Any(c => c.Certificate == CertificateStores.ItlRecovery);
        }

        var owner = state.Nodes.FirstOrDefault(n => n.Id == certificate.NodeId)?.Name;
        return changes.Any(c => c.Certificate == certificate.Name && string.Equals(c.Node, owner, StringComparison.OrdinalIgnoreCase));
    }

    private static ClusterNode RequireNode(SecuritySnapshot state, string? name, string at)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidInputException($"{at}: field 'node' is required.");
        }

        return state.FindNode(name.Trim())
            ?? throw new InvalidInputException(
                $"{at}: no node named '{UserText.Echo(name)}'; nodes: {string.Join(", ", state.Nodes.Select(n => n.Name))}.");
    }

    private static void CheckFqdn(string? fqdn, string at)
    {
        if (string.IsNullOrWhiteSpace(fqdn))
        {
            throw new InvalidInputException($"{at}: field 'fqdn' is required for a rename.");
        }

        var check = new LocalNodeOptions { Fqdn = fqdn.Trim() };
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateProperty(check.Fqdn, new ValidationContext(check) { MemberName = nameof(LocalNodeOptions.Fqdn) }, results))
        {
            throw new InvalidInputException($"{at}: '{UserText.Echo(fqdn)}' is not a DNS name.");
        }
    }

    private sealed record Outcome(bool Keeps, string Reason, string Group, string? Signer, TrustFileState Itl, bool ItlChanges, DeviceOutcome Kind)
    {
        public DevicePlan For(string name) => new(name, Keeps, Reason, Group, Signer, Itl, ItlChanges) { Outcome = Kind };
    }

    /// <summary>Per-device plans and the warnings that do not depend on them (impact rule, ITL size).</summary>
    private sealed record Evaluation(List<DevicePlan> Plans, IReadOnlyList<GroupImpact> Groups, IReadOnlyList<string> Warnings)
    {
        public ChangePlan ToPlan() =>
            new(Plans, Plans.Count(p => p.KeepsTrust), Plans.Count(p => !p.KeepsTrust), Groups, [.. Warnings, .. DeviceWarnings(Plans)]);
    }

    private sealed record PlanInput(
        IReadOnlyList<CertificateChange> Certificates, ItlSignerMode? SignerMode, bool? Rollback, string? Digest, bool? ItlReset,
        SecurityMode? SecurityMode, IReadOnlyDictionary<Guid, CertificateReplacement>? Replacements = null);
}
