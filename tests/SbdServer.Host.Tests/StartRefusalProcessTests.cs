using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit;

namespace SbdServer.Host.Tests;

/// <summary>
/// Refused starts of the real executable: one fatal log line, one plain stderr line naming the setting, a documented
/// exit code, no stack trace and no abort; a first start refused for a port leaves no data directory behind.
/// </summary>
public sealed partial class StartRefusalProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Listeners => ["Tftp:Port", "Tftp:HttpPort", "Tvs:Port", "Capf:Port", "PhoneServices:Port", "Urls"];

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task FirstStart_WithAListenerPortInUse_RefusesNamingIt_AndCreatesNothing(string setting)
    {
        // Held the way a second server holds it: bound (and listening, for TCP) on the address the node binds.
        var udp = setting == "Tftp:Port";
        using var holder = new Socket(AddressFamily.InterNetwork, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        if (!udp)
        {
            holder.Listen();
        }

        var port = ((IPEndPoint)holder.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string?> { ["Tftp__Address"] = "127.0.0.1" };
        var urls = "http://127.0.0.1:0";
        switch (setting)
        {
            case "Urls":
                urls = $"http://127.0.0.1:{port}";
                break;
            default:
                environment[setting.Replace(":", "__", StringComparison.Ordinal)] = port;
                break;
        }

        var dataDir = DataDirInspector.NewDataDir();
        await using var host = HostProcess.Start(dataDir, environment, urls: urls);

        AssertRefused(host, await host.WaitForExitAsync(Ct), 4, setting);
        Assert.Contains($"port {port}", host.StandardError, StringComparison.Ordinal);
        Assert.Contains("already in use", host.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDir), "a refused first start left " + string.Join(", ", Entries(dataDir)));
    }

    [Fact]
    public async Task Port69_WithoutPrivileges_RefusesWithExit5()
    {
        if (int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), System.Globalization.CultureInfo.InvariantCulture) <= 69)
        {
            Assert.Skip("This machine lets every user bind port 69 (net.ipv4.ip_unprivileged_port_start).");
        }

        var dataDir = DataDirInspector.NewDataDir();
        var asRoot = Environment.UserName == "root";
        await using var host = HostProcess.Start(
            dataDir,
            new Dictionary<string, string?> { ["Tftp__Port"] = "69", ["Tftp__Address"] = "127.0.0.1", ["DOTNET_CLI_HOME"] = Path.GetTempPath() },
            runAs: asRoot ? 65534 : null); // nobody: root may bind it

        AssertRefused(host, await host.WaitForExitAsync(Ct), 5, "Tftp:Port");
        Assert.Contains("CAP_NET_BIND_SERVICE", host.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDir));
    }

    [Theory]
    [InlineData("Tvs__Address", "not-an-address", "Tvs:Address")]
    [InlineData("Tftp__MaxWindowSize", "999", "Tftp:MaxWindowSize")]
    [InlineData("PhoneServices__Port", "eighty", "PhoneServices:Port")]
    [InlineData("Sbd__Database__Provider", "Oracle", "Sbd:Database:Provider")]
    [InlineData("Sbd__Database__Provider", "7", "Sbd:Database:Provider")]
    [InlineData("Sbd__Database__Provider", "Postgres", "ConnectionStrings:Sbd")]
    [InlineData("Sbd__Database__StartTimeoutSeconds", "-1", "Sbd:Database:StartTimeoutSeconds")]
    [InlineData("Sbd__Security__Pbkdf2Iterations", "0", "Sbd:Security:Pbkdf2Iterations")]
    [InlineData("Sbd__Node__Name", "not a host name", "Sbd:Node:Name")]
    [InlineData("Sbd__Node__HostAddress", "bad host!", "Sbd:Node:HostAddress")]
    [InlineData("Sbd__Admin__LockoutThreshold", "0", "Sbd:Admin:LockoutThreshold")]
    [InlineData("Sbd__Admin__TokenLifetimeMinutes", "soon", "Sbd:Admin:TokenLifetimeMinutes")]
    [InlineData("Tvs__Port", "70000", "Tvs:Port")]
    [InlineData("Capf__ReadTimeout", "ten seconds", "Capf:ReadTimeout")]
    [InlineData("Capf__IdleTimeout", "00:01:00", "Capf:IdleTimeout")]
    public async Task InvalidConfiguration_RefusesWithExit2_NamingTheKey(string variable, string value, string setting)
    {
        var dataDir = DataDirInspector.NewDataDir();
        await using var host = HostProcess.Start(dataDir, new Dictionary<string, string?> { [variable] = value });

        AssertRefused(host, await host.WaitForExitAsync(Ct), 2, setting);

        // The reason is in the operator's terms: the key and what it must be, never the options framework's wrapping.
        Assert.Contains(setting, host.StandardError.Replace($"[setting {setting};", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", host.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("DataAnnotation", host.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Options'", host.StandardError, StringComparison.Ordinal);
        DataDirInspector.Delete(dataDir);
    }

    [Fact]
    public async Task UnreachableDatabase_RefusesWithExit6_AfterABoundedRetry_WithoutThePassword()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never listening: connections are refused
        var port = ((IPEndPoint)closed.LocalEndPoint!).Port;
        var dataDir = DataDirInspector.NewDataDir();
        var started = DateTime.UtcNow;
        await using var host = HostProcess.Start(dataDir, new Dictionary<string, string?>
        {
            ["Sbd__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Sbd"] = $"Host=127.0.0.1;Port={port};Username=sbd;Password=pg-secret-never-shown;Database=sbd",
            ["Sbd__Database__StartTimeoutSeconds"] = "3",
        });

        AssertRefused(host, await host.WaitForExitAsync(Ct), 6, "ConnectionStrings:Sbd");
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(90));
        Assert.Contains("Database not reachable yet (attempt 1", host.Output, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}/sbd", host.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("pg-secret-never-shown", host.Output, StringComparison.Ordinal);
        DataDirInspector.Delete(dataDir);
    }

    /// <summary>The refusal contract of docs/operations.md, "Exit codes".</summary>
    internal static void AssertRefused(HostProcess host, int exitCode, int expected, string setting)
    {
        var output = host.Output;
        Assert.True(expected == exitCode, $"exit code {exitCode}, expected {expected}:\n{output}");
        var stderr = host.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(stderr);
        Assert.StartsWith("SbdServer.Host: refusing to start: ", line, StringComparison.Ordinal);
        Assert.EndsWith($"[setting {setting}; exit code {expected}]", line, StringComparison.Ordinal);
        Assert.Single(FatalLine().Matches(output));
        Assert.DoesNotMatch(StackFrame(), output);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Entries(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories) : [];

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d FTL\] .*Refusing to start: ", RegexOptions.Multiline)]
    private static partial Regex FatalLine();

    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
