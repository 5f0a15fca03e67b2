using SbdServer.Testing;
using Xunit;

namespace SbdServer.Scenarios.Tests;

/// <summary>The real <c>sbd</c> command (sbd.dll next to the tests), as an admin or QA runs it.</summary>
public static class SbdCli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sbd.dll");
        Assert.True(File.Exists(dll), "sbd.dll is not next to the test assembly");
        return await Tool.RunAsync("dotnet", [dll, .. args], timeoutMs: 120_000);
    }

    /// <summary><c>sbd ARGS --api NODE --password-file FILE</c>: a command against the node's REST API as the admin.</summary>
    public static async Task<(int ExitCode, string Output)> AdminAsync(ScenarioNode node, params string[] args)
    {
        var passwordFile = Path.Combine(node.DataDir, "admin-password.txt");
        await File.WriteAllTextAsync(passwordFile, ScenarioNode.AdminPassword + "\n");
        return await RunAsync([.. args, "--api", node.Api.ToString(), "--password-file", passwordFile]);
    }

    /// <summary><c>sbd itl reset ACTION</c> against the node's API with the admin password in a file.</summary>
    public static async Task<(int ExitCode, string Output)> ItlResetAsync(ScenarioNode node, string action)
    {
        var passwordFile = Path.Combine(node.DataDir, "admin-password.txt");
        await File.WriteAllTextAsync(passwordFile, ScenarioNode.AdminPassword + "\n");
        return await RunAsync("itl", "reset", action, "--api", node.Api.ToString(), "--password-file", passwordFile);
    }
}
