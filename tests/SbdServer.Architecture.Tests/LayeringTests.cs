using System.Reflection;
using NetArchTest.Rules;
using Xunit;

namespace SbdServer.Architecture.Tests;

/// <summary>
/// The dependency rules of docs/architecture.md, checked on the compiled assemblies (issue 16 item 8): which project
/// may reference which, which outside worlds each may touch, and the one-way order of SbdServer.Core's folders.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>The SbdServer assemblies each project may reference; Host (the composition root) may reference all.</summary>
    public static TheoryData<string, string[]> ProjectRules => new()
    {
        { "SbdServer.Wire", [] },
        { "SbdServer.Core", ["SbdServer.Wire"] },
        { "SbdServer.Crypto", ["SbdServer.Core", "SbdServer.Wire"] },
        { "SbdServer.Persistence", ["SbdServer.Core", "SbdServer.Wire"] },
        { "SbdServer.Listeners", ["SbdServer.Core", "SbdServer.Wire"] },
        { "SbdServer.Tftp", ["SbdServer.Core", "SbdServer.Wire"] },
        { "SbdServer.Tvs", ["SbdServer.Core", "SbdServer.Wire", "SbdServer.Listeners"] },
        { "SbdServer.Capf", ["SbdServer.Core", "SbdServer.Wire", "SbdServer.Listeners"] },
        // The CallManager's secure SIP port (scenario 20) is one more TLS protocol on the listener kit, like TVS and CAPF.
        { "SbdServer.Sip", ["SbdServer.Core", "SbdServer.Wire", "SbdServer.Listeners"] },
        { "SbdServer.PhoneServices", ["SbdServer.Core", "SbdServer.Wire", "SbdServer.Listeners"] },
        { "SbdServer.Phone", ["SbdServer.Wire"] },
        { "SbdServer.Admin", ["SbdServer.Core", "SbdServer.Wire"] },
        { "SbdServer.Cli", ["SbdServer.Wire", "SbdServer.Crypto", "SbdServer.Phone", "SbdServer.Core"] },
    };

    /// <summary>
    /// SbdServer.Core's folders, lowest first: a folder may use the folders before it and never one after it. Foundation
    /// (no domain knowledge), model (what a cluster is made of, and ports to crypto and files), storage ports, domain
    /// rules and read services over them, use cases.
    /// </summary>
    public static readonly string[] CoreLayers =
    [
        "Errors", "Diagnostics", "Events", "Hosting",
        "Audit", "Nodes", "Parameters", "Certificates", "Cluster", "Tftp", "PhoneServices", "Capf", "CertificateStore", "Devices",
        "Storage",
        "Provisioning", "Impact", "Tvs",
        "Admins", "DeviceManagement", "CertificateManagement", "Backup",
    ];

    [Theory]
    [MemberData(nameof(ProjectRules))]
    public void AProject_ReferencesOnlyTheProjectsBelowIt(string project, string[] allowed)
    {
        var forbidden = SbdServerReferences(Load(project)).Except(allowed, StringComparer.Ordinal).ToList();

        Assert.True(forbidden.Count == 0, $"{project} must not reference {string.Join(", ", forbidden)} (docs/architecture.md)");
    }

    [Theory]
    [InlineData("SbdServer.Wire")]
    [InlineData("SbdServer.Phone")]
    public void TheByteFormatsAndTheEmulatedPhone_UseNothingButTheBaseLibrary(string project)
    {
        // The phone checks the server's files with .NET's own crypto, so a server bug cannot hide behind the same bug.
        var outside = Load(project).GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !IsBaseLibrary(n) && n is not "SbdServer.Wire")
            .ToList();

        Assert.True(outside.Count == 0, $"{project} must use only the base library and Wire, not {string.Join(", ", outside)}");
    }

    [Theory]
    [InlineData("BouncyCastle.Cryptography", new[] { "SbdServer.Crypto" })]
    [InlineData("Microsoft.EntityFrameworkCore", new[] { "SbdServer.Persistence", "SbdServer.Host" })]
    [InlineData("Npgsql", new[] { "SbdServer.Persistence", "SbdServer.Host" })]
    [InlineData("Microsoft.AspNetCore", new[] { "SbdServer.Listeners", "SbdServer.Tftp", "SbdServer.Tvs", "SbdServer.Capf", "SbdServer.Sip", "SbdServer.PhoneServices", "SbdServer.Admin", "SbdServer.Host" })]
    public void AnOutsideWorld_IsTouchedOnlyByItsProjects(string library, string[] owners)
    {
        var users = AllProjects
            .Where(p => Load(p).GetReferencedAssemblies().Any(a => a.Name == library || a.Name!.StartsWith(library + ".", StringComparison.Ordinal)))
            .Except(owners, StringComparer.Ordinal)
            .ToList();

        Assert.True(users.Count == 0, $"only {string.Join(", ", owners)} may use {library}; also used by {string.Join(", ", users)}");
    }

    [Fact]
    public void CoreFolders_DependInOneDirection()
    {
        var core = Load("SbdServer.Core");
        var folders = core.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("SbdServer.Core.", StringComparison.Ordinal))
            .Select(n => n["SbdServer.Core.".Length..].Split('.')[0])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.Empty(folders.Except(CoreLayers, StringComparer.Ordinal)); // a new folder needs its place in the order

        var violations = new List<string>();
        for (var i = 0; i < CoreLayers.Length; i++)
        {
            var above = CoreLayers.Skip(i + 1).Select(f => "SbdServer.Core." + f).ToArray();
            var folder = "SbdServer.Core." + CoreLayers[i];
            var result = Types.InAssembly(core).That().ResideInNamespace(folder)
                .ShouldNot().HaveDependencyOnAny(above).GetResult();

            // ResideInNamespace matches by prefix, ignoring case (Certificates would take in CertificateStore).
            violations.AddRange((result.FailingTypeNames ?? [])
                .Where(t => NamespaceOf(t) == folder || NamespaceOf(t).StartsWith(folder + ".", StringComparison.Ordinal))
                .Select(t => $"{t} (in {CoreLayers[i]}) uses a folder above it"));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Core_IsFreeOfFrameworksAndPackages()
    {
        var outside = Load("SbdServer.Core").GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !IsBaseLibrary(n) && n is not "SbdServer.Wire")
            .ToList();

        Assert.True(outside.Count == 0, $"SbdServer.Core must use only the base library and Wire, not {string.Join(", ", outside)}");
    }

    private static readonly string[] AllProjects =
    [
        "SbdServer.Wire", "SbdServer.Core", "SbdServer.Crypto", "SbdServer.Persistence", "SbdServer.Listeners", "SbdServer.Tftp",
        "SbdServer.Tvs", "SbdServer.Capf", "SbdServer.Sip", "SbdServer.PhoneServices", "SbdServer.Phone", "SbdServer.Admin", "SbdServer.Cli",
        "SbdServer.Host",
    ];

    /// <summary>The assembly of a project (the CLI's is <c>sbd</c>).</summary>
    private static Assembly Load(string project) => Assembly.Load(new AssemblyName(project == CliProject ? CliAssembly : project));

    private static IEnumerable<string> SbdServerReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name == CliAssembly ? CliProject : a.Name!)
            .Where(n => n.StartsWith("SbdServer.", StringComparison.Ordinal));

    private static string NamespaceOf(string typeName)
    {
        var outer = typeName.Split('/', '+')[0];
        return outer[..Math.Max(0, outer.LastIndexOf('.'))];
    }

    private const string CliProject = "SbdServer.Cli";
    private const string CliAssembly = "sbd";

    private static bool IsBaseLibrary(string name) =>
        name is "netstandard" or "mscorlib" or "System" || name.StartsWith("System.", StringComparison.Ordinal);
}
