using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SbdServer.Cli.Tests;

/// <summary>
/// <c>sbd itl reset</c> refusals that need no server; against a running cluster it is exercised by the scenario tests
/// (bulk ITL reset, scenarios 12 and 13).
/// </summary>
public sealed class ItlCommandTests
{
    [Fact]
    public void Reset_refuses_bad_input_with_one_line_and_exit_code_2()
    {
        using var temp = new TempFolder();
        var badAction = Sbd.Run(temp.Path, "itl", "reset", "sometimes", "--password-file", "none");
        badAction.AssertOneLineFailure("'sometimes' is not localkey, end or status");
        Assert.Equal(2, badAction.ExitCode);

        var badApi = Sbd.Run(temp.Path, "itl", "reset", "localkey", "--api", "ftp://x", "--password-file", "none");
        badApi.AssertOneLineFailure("--api");
        Assert.Equal(2, badApi.ExitCode);

        var noFile = Sbd.Run(temp.Path, "itl", "reset", "localkey", "--password-file", temp.File("missing"));
        noFile.AssertOneLineFailure("--password-file: the file cannot be read");
        Assert.Equal(2, noFile.ExitCode);
    }

    [Fact]
    public void Reset_against_a_closed_port_says_the_api_did_not_answer()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("password"), "secret\n");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = Sbd.Run(temp.Path, "itl", "reset", "status", "--api", $"http://127.0.0.1:{port}", "--password-file", temp.File("password"));
        result.AssertOneLineFailure("the API did not answer");
        Assert.Equal(2, result.ExitCode);
    }
}
