using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SbdServer.Core.CertificateManagement;
using SbdServer.Core.Errors;
using SbdServer.Core.Impact;
using SbdServer.Core.Parameters;

namespace SbdServer.Admin.Pages.Parameters;

/// <summary>
/// CUCM's Enterprise Parameters Configuration: the security parameters with their values; Save shows the change
/// planner's impact first (as Regenerate does) and applies only from that page, with the publisher's name typed when
/// phones would be locked out. The forms carry the version of each value they show: a value another administrator or
/// node changed meanwhile is reported, never set back to what this form showed.
/// </summary>
public sealed class ParametersModel(CertificateQueries queries, EnterpriseParameters enterpriseParameters, ChangePlanService planner) : PageModel
{
    /// <summary>CUCM's display names, in the order of its Security Parameters section.</summary>
    public static readonly (string Name, string Label)[] Labels =
    [
        (EnterpriseParameterCatalog.PrepareClusterForRollbackToPre80, "Prepare Cluster for Rollback to pre 8.0"),
        (EnterpriseParameterCatalog.ClusterSecurityMode, "Cluster Security Mode"),
        (EnterpriseParameterCatalog.ItlSignerMode, "ITL File Signer"),
        (EnterpriseParameterCatalog.TftpFileSignatureAlgorithm, "TFTP File Signature Algorithm"),
        (EnterpriseParameterCatalog.PhoneInteractionOnCertificateUpdate, "Phone Interaction on Certificate Update"),
        (EnterpriseParameterCatalog.AutoRegistration, "Auto-registration"),
        (EnterpriseParameterCatalog.SecuredAuthenticationUrl, "Secured Authentication URL"),
        (EnterpriseParameterCatalog.SecuredDirectoryUrl, "Secured Directory URL"),
        (EnterpriseParameterCatalog.SecuredIdleUrl, "Secured Idle URL"),
        (EnterpriseParameterCatalog.SecuredInformationUrl, "Secured Information URL"),
        (EnterpriseParameterCatalog.SecuredMessagesUrl, "Secured Messages URL"),
        (EnterpriseParameterCatalog.SecuredServicesUrl, "Secured Services URL"),
    ];

    [BindProperty]
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The version of each value the form showed (hidden fields).</summary>
    [BindProperty]
    public Dictionary<string, string> Versions { get; set; } = new(StringComparer.Ordinal);

    [BindProperty]
    public string? ConfirmNode { get; set; }

    [BindProperty(SupportsGet = true, Name = "msg")]
    public string? Message { get; set; }

    public IReadOnlyDictionary<string, string> Current { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> CurrentVersions { get; private set; } = new Dictionary<string, string>();

    /// <summary>True when the form was loaded before another change to a value it would set.</summary>
    public bool Stale { get; private set; }

    /// <summary>The parameters the admin changed, canonical values; set once Save was pressed.</summary>
    public IReadOnlyList<(ParameterDefinition Definition, string Value)> Changes { get; private set; } = [];

    /// <summary>The planner's verdict on <see cref="Changes"/>; null on the plain form.</summary>
    public ChangePlan? Plan { get; private set; }

    public string Publisher { get; private set; } = "";

    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>True when the change locks phones out: applying it needs the publisher's name typed.</summary>
    public bool RequiresConfirmation => Plan is { } plan && (plan.Lost > 0 || plan.Groups.Any(g => g.PhonesLocked));

    public static string LabelOf(string name) => Labels.FirstOrDefault(l => l.Name == name).Label ?? name;

    public static IEnumerable<ParameterDefinition> Shown =>
        Labels.Select(l => EnterpriseParameterCatalog.Find(l.Name)).OfType<ParameterDefinition>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Message = Message is { Length: > 300 } ? Message[..300] : Message;
        await LoadAsync(cancellationToken);
    }

    /// <summary>Save: the impact of the changed values, nothing applied yet.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (!ReadChanges())
        {
            Response.StatusCode = Stale ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return Page();
        }

        if (Changes.Count == 0)
        {
            Message = "No parameter was changed.";
            return Page();
        }

        Plan = await PlanAsync(cancellationToken);
        return Page();
    }

    /// <summary>Apply, from the impact page: planned again, so a change that now locks phones still needs the name.</summary>
    public async Task<IActionResult> OnPostApplyAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (!ReadChanges())
        {
            Response.StatusCode = Stale ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return Page();
        }

        if (Changes.Count == 0)
        {
            return LocalRedirect("/admin/parameters?msg=" + Uri.EscapeDataString("No parameter was changed."));
        }

        Plan = await PlanAsync(cancellationToken);
        if (RequiresConfirmation && !string.Equals(ConfirmNode?.Trim(), Publisher, StringComparison.Ordinal))
        {
            Errors = [string.IsNullOrEmpty(ConfirmNode)
                ? "This change locks phones out: type the publisher's node name to confirm it."
                : $"The node name does not match '{Publisher}'; nothing was changed."];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        var actor = User.Identity?.Name ?? "unknown";
        var applied = new List<string>();
        try
        {
            foreach (var (definition, value) in Changes)
            {
                await enterpriseParameters.SetParameterAsync(definition.Name, value, actor, Versions.GetValueOrDefault(definition.Name), cancellationToken);
                applied.Add($"{LabelOf(definition.Name)} = {value}");
            }
        }
        catch (DomainException ex)
        {
            await LoadAsync(cancellationToken);
            Errors = [applied.Count == 0 ? ex.Message : $"Applied {string.Join("; ", applied)}; then: {ex.Message}"];
            Plan = null;
            if (ex is WriteConflictException)
            {
                Stale = true;
                Values.Clear();
            }

            Response.StatusCode = Stale ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return Page();
        }

        return LocalRedirect("/admin/parameters?msg=" + Uri.EscapeDataString("Saved: " + string.Join("; ", applied) + "."));
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // One read of the state for all values and their versions, not one per parameter.
        var entries = await enterpriseParameters.GetParameterEntriesAsync(cancellationToken);
        Current = entries.ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal);
        CurrentVersions = entries.ToDictionary(e => e.Key, e => e.Value.Version, StringComparer.Ordinal);
        Publisher = (await queries.GetNodesAsync(cancellationToken)).FirstOrDefault(n => n.IsPublisher)?.Name ?? "";
    }

    // Only the parameters whose value differs from the stored one become changes; unknown names are ignored like
    // any other field a form does not have.
    private bool ReadChanges()
    {
        var changes = new List<(ParameterDefinition, string)>();
        var errors = new List<string>();
        foreach (var definition in Shown)
        {
            if (!Values.TryGetValue(definition.Name, out var raw))
            {
                continue;
            }

            // A field posted empty binds as null: it asks for the empty value (a URL cleared), not for no change.
            raw ??= "";

            var value = definition.Normalize(raw);
            if (value is null)
            {
                var shown = raw.Length <= 80 ? raw : raw[..80] + "...";
                errors.Add($"{LabelOf(definition.Name)}: '{shown}' is not allowed; use {definition.Allowed}.");
            }
            else if (!string.Equals(value, Current[definition.Name], StringComparison.Ordinal))
            {
                // A value that moved on since the form was loaded: what the form shows is not what is stored, so
                // "different from stored" is not a change the administrator asked for.
                if (Versions.TryGetValue(definition.Name, out var shownVersion)
                    && !string.Equals(shownVersion, CurrentVersions[definition.Name], StringComparison.Ordinal))
                {
                    Stale = true;
                    errors.Add(WriteConflictException.ChangedSinceLoaded(LabelOf(definition.Name)) + $" It is now '{Current[definition.Name]}'.");
                }
                else
                {
                    changes.Add((definition, value));
                }
            }
        }

        Errors = errors;
        Changes = errors.Count == 0 ? changes : [];
        if (Stale)
        {
            // The form is shown again with the stored values and their versions.
            Values.Clear();
        }

        return errors.Count == 0;
    }

    // The planner evaluates the parameters that change what phones trust; the others (URLs, auto-registration) leave
    // every ITL as it is, so an empty plan is their true impact.
    private async Task<ChangePlan> PlanAsync(CancellationToken cancellationToken)
    {
        ProposedChange[] planned =
            [.. Changes.Where(c => IsPlanned(c.Definition.Name)).Select(c => ProposedChange.SetParameter(c.Definition.Name, c.Value))];
        return planned.Length == 0
            ? await planner.UnchangedAsync(cancellationToken)
            : await planner.PlanAsync(planned, cancellationToken);
    }

    public static bool IsPlanned(string name) => ChangePlanner.Parameters.Contains(name, StringComparer.Ordinal);
}
